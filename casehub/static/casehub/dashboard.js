/* The dashboard's charts (casehub/web/statistics.py): each
   <div data-chart="{table as JSON}"> is drawn by ECharts (served locally,
   Chinese locale), a bar, line or pie chart as the table's "chart" says.
   Tooltips are drawn on the canvas (richText): no HTML with style
   attributes, which the CSP refuses. The table itself is below each chart. */
(function () {
  "use strict";
  var PALETTE = ["#1f4e79", "#2e86c1", "#17a589", "#d68910", "#7d3c98", "#839192", "#c0392b", "#5d6d7e"];

  function columnIndex(table, key) {
    for (var i = 0; i < table.columns.length; i++) {
      if (table.columns[i].key === key) { return i; }
    }
    return -1;
  }

  function option(table) {
    var chart = table.chart;
    var x = columnIndex(table, chart.x);
    var labels = table.rows.map(function (row) { return String(row[x]); });
    var base = {
      color: PALETTE,
      animation: false,
      textStyle: {fontFamily: "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"},
      tooltip: {trigger: chart.type === "pie" ? "item" : "axis", renderMode: "richText"},
      legend: {top: 0, type: "scroll"},
      grid: {left: 48, right: 16, top: 40, bottom: 56, containLabel: true}
    };
    if (chart.type === "pie") {
      var value = columnIndex(table, chart.series[0]);
      base.series = [{
        type: "pie", radius: ["30%", "55%"], top: 24,
        name: table.columns[value].label,
        label: {formatter: "{b}：{c}", overflow: "none"},
        data: table.rows.map(function (row, i) { return {name: labels[i], value: row[value]}; })
      }];
      return base;
    }
    var longest = Math.max.apply(null, labels.map(function (l) { return l.length; }).concat([0]));
    var category = {type: "category", data: labels, axisLabel: {interval: 0, rotate: labels.length > 8 ? 30 : 0}};
    var values = {type: "value", minInterval: 1};
    if (chart.type === "bar" && longest * Math.min(labels.length, 8) > 24) {
      // Long names side by side overlap: the bars lie down, each name on its own line.
      category.inverse = true;
      category.axisLabel = {interval: 0, width: 140, overflow: "truncate"};
      base.yAxis = category;
      base.xAxis = values;
    } else {
      base.xAxis = category;
      base.yAxis = values;
    }
    base.series = chart.series.map(function (key) {
      var index = columnIndex(table, key);
      return {
        type: chart.type, name: table.columns[index].label, barMaxWidth: 36,
        data: table.rows.map(function (row) { return row[index] === null ? "-" : row[index]; })
      };
    });
    return base;
  }

  var drawn = [];

  function draw(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      if (element.getAttribute("data-drawn")) { return; }
      var table = JSON.parse(element.getAttribute("data-chart"));
      var chart = echarts.init(element, null, {locale: "ZH", renderer: "canvas"});
      chart.setOption(option(table));
      element.setAttribute("data-drawn", "true");
      drawn.push(chart);
    });
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { drawn.forEach(function (chart) { chart.resize(); }); }, 150);
  });
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
})();
