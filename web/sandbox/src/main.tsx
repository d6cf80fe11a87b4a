import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './sandbox.css';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(<App />);
