import { render } from 'preact';
import { App } from './components/index';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
