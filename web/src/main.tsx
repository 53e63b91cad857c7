import { render } from 'preact';
import { App } from './app.js';
import { startFleet } from './lib/fleet-store.js';
import './styles.css';

// Before the first render, not in an effect after it: the snapshot (preloaded
// by index.html) is read and parsed while the page paints its frame.
startFleet();
render(<App />, document.getElementById('app')!);
