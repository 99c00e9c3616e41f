// The parts of ECharts the statistics dashboards draw with: what ../../charts.js
// already assembles on echarts/core (bar chart, grid, plain legend, tooltip,
// canvas renderer) plus the line chart of the monthly trend and the scrolling
// legend (StatsChart's legend type 'scroll'). Built on charts.js rather
// than beside it so the home page's chart keeps loading one chunk (a second
// assembly would split ECharts into a shared chunk and a wrapper: one more
// request on the first load that first-load.test.mjs budgets). Imported
// dynamically by StatsChart.vue when a chart mounts.
import { LineChart } from 'echarts/charts'
import { LegendScrollComponent } from 'echarts/components'
import { echarts } from '../../charts.js'

echarts.use([LineChart, LegendScrollComponent])

export { echarts }
