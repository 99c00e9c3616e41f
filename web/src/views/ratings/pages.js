// The pages of ratings and typical cases, one chunk for the router (router.js
// ratingsPage): the staff page 好差评 and the public 典型案例 list and case.
export { default as RatingsView } from './RatingsView.vue'
export { default as PublicCasesView } from './PublicCasesView.vue'
