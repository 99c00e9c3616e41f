// The parts of ECharts the UI draws with, assembled on echarts/core so the bundle
// holds only them (bar chart, grid, plain legend, tooltip, canvas renderer; the
// scrolling legend only the statistics need is added by statsCharts.js, off the
// home page's first load). Imported
// dynamically by the chart components when they mount, so a page shows its text
// at once and fetches ECharts only when it actually draws a chart.
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendPlainComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([BarChart, GridComponent, LegendPlainComponent, TooltipComponent, CanvasRenderer])

export { echarts }
