/** What the extension does instead of the GUI step the backend's text asks the user to take. */
export type GuiAction = 'export' | 'check-credits' | 'show-state' | 'show-tracks' | 'send-edit' | 'do-it';

interface Rule {
  action: GuiAction;
  pattern: RegExp;
  english: string;
  chinese: string;
}

// First match wins, so the specific rules come before the generic "click".
const rules: readonly Rule[] = [
  {
    action: 'export',
    pattern: /\bexport\b|\bdownload button\b|导出/i,
    english: 'The extension is exporting the MP3 for you.',
    chinese: '扩展正在为你导出 MP3。',
  },
  {
    action: 'check-credits',
    pattern:
      /\b(account|billing|credits?|balance)\b.*\b(page|settings|dashboard)\b|\b(check|open|visit)\b.*\b(account|billing|dashboard)\b|积分|余额/i,
    english: 'The extension checks your credits for you.',
    chinese: '扩展正在为你查看积分。',
  },
  {
    action: 'send-edit',
    pattern: /\bdrag(ging)?\b|\bdrop\b|拖拽|拖动|拖放/i,
    english: 'The extension sends that change for you.',
    chinese: '扩展正在为你发送这项修改。',
  },
  {
    action: 'show-tracks',
    pattern: /\bpreview\b|\btimeline\b|预览|时间线|时间轴/i,
    english: 'The extension shows a summary of the tracks.',
    chinese: '扩展会显示轨道摘要。',
  },
  {
    action: 'show-state',
    pattern: /\bopen\b.*\b(panel|tab|sidebar|menu|editor|library|settings|window|project)\b|打开/i,
    english: 'The extension checks the project for you.',
    chinese: '扩展正在为你查看项目状态。',
  },
  {
    action: 'do-it',
    pattern: /\b(click|tap|press|hit)\b|点击|单击/i,
    english: 'The extension does that step for you.',
    chinese: '扩展会为你完成这一步。',
  },
];

const CHINESE = /[\u4e00-\u9fff]/;
/** Sentence ends (kept, to rejoin): `.!?` then space (so "1.5 MB" stays whole), `。！？`, line breaks. */
const SENTENCE_END = /((?<=[.!?])\s+|(?<=[。！？])|\n+)/;

/**
 * The backend's text with each sentence that asks for a GUI step ("Click Export", "打开面板", …)
 * replaced by what the extension does instead, plus those actions, so the caller can run them.
 */
export function translateGuiWording(
  text: string,
  /** Other words for an action, where the extension does it differently (export waits for the user, say). */
  wording: Partial<Record<GuiAction, Pick<Rule, 'english' | 'chinese'>>> = {},
): { text: string; actions: GuiAction[] } {
  const actions: GuiAction[] = [];
  const pieces = text.split(SENTENCE_END);
  let translated = '';
  for (let index = 0; index < pieces.length; index += 2) {
    const sentence = pieces[index] ?? '';
    const rule = rules.find((candidate) => candidate.pattern.test(sentence) && isInstruction(sentence, candidate));
    if (rule && actions.includes(rule.action)) continue;
    if (rule) actions.push(rule.action);
    const words = rule && { ...rule, ...wording[rule.action] };
    const replacement = words && (CHINESE.test(sentence) ? words.chinese : words.english);
    translated += (replacement ?? sentence) + (pieces[index + 1] ?? '');
  }
  return { text: translated.trim(), actions };
}

/**
 * "Click Export" asks the user to act; "I exported the timeline" or "The audio is ready for
 * export" don't, so only sentences that read as an instruction are replaced.
 */
function isInstruction(sentence: string, rule: Rule): boolean {
  if (rule.action === 'do-it') return true;
  if (CHINESE.test(sentence)) return /点击|单击|打开|拖|预览|查看|前往|使用|按|请/.test(sentence);
  return /\b(click|tap|press|hit|open|drag|drop|use|go to|visit|check|preview|select|choose)\b|\b(button|panel)\b/i.test(
    sentence,
  );
}
