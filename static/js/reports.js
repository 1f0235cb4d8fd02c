// Draws the reports' charts (lvzhi/reports): the data comes from the
// json_script tag "report-charts", one entry per table; each chart sits in the
// element with data-chart="<table key>", and its table stays beside it for
// screen readers and print.
(function () {
  "use strict";

  // Tooltips drawn on the canvas: ECharts' HTML tooltips carry style=""
  // attributes, which the Content Security Policy refuses.
  var TOOLTIP = { renderMode: "richText" };

  function option(chart) {
    var base = { animation: false, textStyle: { fontFamily: "inherit" } };
    if (chart.type === "pie") {
      base.tooltip = Object.assign({ trigger: "item" }, TOOLTIP);
      base.series = [{
        type: "pie", radius: ["35%", "65%"], name: chart.series[0].name,
        data: chart.labels.map(function (label, i) {
          return { name: label, value: chart.series[0].data[i] };
        })
      }];
      return base;
    }
    base.tooltip = Object.assign({ trigger: "axis" }, TOOLTIP);
    base.legend = { top: 0, show: chart.series.length > 1 };
    base.grid = { left: 8, right: 8, bottom: 8, top: chart.series.length > 1 ? 28 : 8, containLabel: true };
    base.xAxis = { type: "category", data: chart.labels, axisLabel: { interval: 0, rotate: chart.labels.length > 5 ? 30 : 0 } };
    base.yAxis = { type: "value", minInterval: 1 };
    base.series = chart.series.map(function (s) {
      return { type: chart.type === "line" ? "line" : "bar", name: s.name, data: s.data };
    });
    return base;
  }

  function draw() {
    var source = document.getElementById("report-charts");
    if (!source || typeof window.echarts === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    charts.forEach(function (chart) {
      var holder = document.querySelector('.report-chart[data-chart="' + chart.key + '"]');
      var anything = chart.series.some(function (s) {
        return s.data.some(function (value) { return value; });
      });
      // Nothing to draw (no rows, or only zeros: a pie of zeros would show
      // equal slices): the table beside it says so.
      if (!holder || !anything) {
        if (holder) { holder.classList.add("report-chart-empty"); }
        return;
      }
      var instance = window.echarts.init(holder, null, { renderer: "canvas" });
      instance.setOption(option(chart));
      drawn.push(instance);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (instance) { instance.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
