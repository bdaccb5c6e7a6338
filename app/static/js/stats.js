/* Statistics dashboards: draw each chart with the vendored Apache ECharts from the JSON
   of the table beside it (no inline script, no outside host). */
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  function percent(value) {
    return value === null ? "—" : (value * 100).toFixed(1) + "%";
  }
  function option(data) {
    var rate = data.series.some(function (s) { return s.rate; });
    if (data.type === "pie") {
      return {
        tooltip: { trigger: "item" },
        legend: { type: "scroll", bottom: 0 },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          data: data.categories.map(function (name, i) {
            return { name: name, value: data.series[0].data[i] };
          })
        }]
      };
    }
    return {
      tooltip: {
        trigger: "axis",
        valueFormatter: rate ? percent : undefined
      },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisLabel: { rotate: data.categories.length > 6 ? 30 : 0 } },
      yAxis: {
        type: "value",
        max: rate ? 1 : null,
        axisLabel: rate ? { formatter: percent } : {}
      },
      series: data.series.map(function (s) {
        var series = { name: s.name, type: data.type === "line" ? "line" : "bar", data: s.data };
        if (s.color) {
          series.itemStyle = { color: s.color };
        }
        return series;
      })
    };
  }
  var charts = [];
  document.querySelectorAll(".stats-chart[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(JSON.parse(source.textContent)));
    element.setAttribute("data-drawn", "1");
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
