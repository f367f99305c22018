import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { connectWorkbench } from './lib/api';
import { AppState } from './state/app-state.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');

const app = new AppState(connectWorkbench());
mount(App, { target, props: { app } });
void app.start();
