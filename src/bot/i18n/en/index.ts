import commands from './commands.ts';
import common from './common.ts';
import home from './home.ts';
import items from './items.ts';
import note from './note.ts';

export default { common, home, commands, note, items };
