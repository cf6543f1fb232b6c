import path from 'node:path';
import { loadCatalogue, type LoadedCatalogue } from '../catalogue';
import { unansweredIds } from '../answers/parse';
import { EditSession, schemaLine, type FlowDeps } from './common';
import {
  after,
  askFramework,
  askMissingDetails,
  checkFramework,
  detailsMenu,
  type DetailContext,
  type Raw,
} from './details';
import { Walk } from './walk';
import { approveMenu } from './approval';

/** The provider interview: creates an answers file or resumes it, saving after every answer. */

export const NEW_FILE_HEADER = `# Answers to a security framework, started with \`srq interview\`.
# Edit by hand as you like (comments are kept); \`srq validate <file>\` checks it.

`;

export interface InterviewOptions {
  /** Absolute path of the answers file. */
  file: string;
  /** The path as shown to the user. */
  shown: string;
  framework?: string;
  deps: FlowDeps;
}

export interface InterviewResult {
  /** Items still unanswered, in catalogue order. */
  unanswered: string[];
  /** Items marked to revisit. */
  revisit: string[];
  /** Whether the user stopped before the end. */
  stopped: boolean;
  notes: string[];
}

export async function runInterview(o: InterviewOptions): Promise<InterviewResult> {
  const { prompts: p } = o.deps;
  const s = new EditSession(o.file, o.shown, {
    header: schemaLine(o.file, 'answers') + NEW_FILE_HEADER,
    onSave: o.deps.onSave,
  });
  const ed = s.editor;
  const notes: string[] = [];
  const dir = path.dirname(o.file);
  const raw = () => (ed.data() ?? {}) as Raw;

  // --- framework ---
  let framework = typeof raw().framework === 'string' ? raw().framework! : undefined;
  if (framework && o.framework && o.framework !== framework) {
    notes.push(
      `${o.shown} already uses framework ${framework}; --framework ${o.framework} only applies to a new file`,
    );
  }
  if (!framework) {
    framework = o.framework ?? (await askFramework(p));
    checkFramework(framework, dir);
    ed.set(['framework'], framework, { before: after('framework') });
    s.save('framework');
  }
  checkFramework(framework, dir);
  const cat = loadCatalogue(framework, dir);

  if (s.isNew || !raw().provider)
    p.say(`\nNew answers file ${o.shown} for ${cat.meta.title} (${cat.meta.version}).`);

  // --- the document's details, each asked only while missing (all changeable from the menu) ---
  const details: DetailContext = { p, s, cat, now: o.deps.now };
  await askMissingDetails(details);

  if (raw().answers == null) {
    // An empty map, so the file validates (with warnings) before the first answer.
    ed.set(['answers'], {});
    s.save('answers');
  }

  // --- principle by principle; on a complete file, the menu ---
  const walk = new Walk({ shown: o.shown, deps: o.deps }, s, cat);
  const complete = unansweredIds(cat, raw().answers ?? {}).length === 0;
  const stopped = complete ? await home({ details, walk, cat, shown: o.shown }) : await walk.run();
  const answers = (raw().answers ?? {}) as Record<string, unknown>;
  return { unanswered: unansweredIds(cat, answers), revisit: walk.revisitList(), stopped, notes };
}

/**
 * A file with every principle answered: change any detail or any answer (no version bump;
 * that is srq review's job), or walk the answers again.
 */
async function home(o: {
  details: DetailContext;
  walk: Walk;
  cat: LoadedCatalogue;
  shown: string;
}): Promise<boolean> {
  const { p } = o.details;
  p.say(`\nEvery principle in ${o.shown} is answered.`);
  for (;;) {
    type Act = 'details' | 'answer' | 'approve' | 'walk' | 'finish';
    const act = await p.select<Act>({
      message: 'What would you like to do?',
      choices: [
        {
          name: 'Change a detail (provider, service, tiers, document, signatory, evidence, logo, policies)',
          value: 'details',
        },
        { name: 'Change an answer…', value: 'answer' },
        {
          name: 'Approve answers…',
          value: 'approve',
          description: 'record that you reviewed and approved them (a later edit voids it)',
        },
        { name: 'Go through the answers one by one', value: 'walk' },
        { name: 'Finish (everything is saved)', value: 'finish' },
      ],
      default: 'finish',
    });
    if (act === 'finish') return false;
    if (act === 'details') await detailsMenu(o.details);
    if (act === 'approve') {
      await approveMenu({ p, s: o.details.s, cat: o.cat, now: o.details.now });
    }
    if (act === 'walk' && (await o.walk.run(o.cat.items[0].id))) return true;
    if (act === 'answer') {
      const answers = (o.details.s.editor.get(['answers']) ?? {}) as Record<string, unknown>;
      const id = await p.search<string>({
        message: 'Which answer? (type to filter)',
        choices: o.cat.items
          .filter((it) => answers[it.id])
          .map((it) => ({ name: `${it.id} ${it.title}`, value: it.id })),
      });
      await o.walk.edit(o.cat.byId.get(id)!);
    }
  }
}
