// Entry point of the Yiye browser UI: creates the Vue app with the router and the
// global styles. Element Plus components are imported where they are used (see the
// views), so only those end up in the bundle, each with its own stylesheet (added
// by unplugin-element-plus, vite.config.js); the shared base styles come first.
import { createApp } from 'vue'
import 'element-plus/theme-chalk/base.css'
import './styles/main.css'
import App from './App.vue'
import { router } from './router.js'
import { installPrintLayout } from './print.js'

installPrintLayout()

createApp(App).use(router).mount('#app')
