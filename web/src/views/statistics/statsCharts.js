// The parts of ECharts the statistics dashboards draw with: bar and line charts,
// grid, legend, tooltip, the canvas renderer. Assembled on echarts/core (as
// ../../charts.js is) so the bundle holds only these, and imported dynamically by
// StatsChart.vue when a chart mounts: the dashboard's filters and tables show at
// once and pages without a chart never fetch it.
import * as echarts from 'echarts/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export { echarts }
