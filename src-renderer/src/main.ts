import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { connectWorkbench } from './lib/api';
import { parseScreenLink } from './lib/screen-link';
import { AppState } from './state/app-state.svelte';
import { FormMemory } from './state/form-memory';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');

const app = new AppState(connectWorkbench());
const forms = new FormMemory(window.sessionStorage);
// A reload (or closing the tab) fires pagehide: the forms as typed survive it.
window.addEventListener('pagehide', () => app.remember(forms));
mount(App, { target, props: { app } });
void app.start(parseScreenLink(window.location.hash), forms);
