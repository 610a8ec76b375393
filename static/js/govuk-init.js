// Starts every GOV.UK Frontend component on the page (error summaries, buttons, details…).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
