import { describe, expect, it } from 'vitest';
import { translateGuiWording, type GuiAction } from '@/utils/engines/cloud/gui-wording';

describe('translateGuiWording', () => {
  it.each<[string, string, string, GuiAction[]]>([
    [
      'click Export',
      'Done! Click Export to download your MP3.',
      'Done! The extension is exporting the MP3 for you.',
      ['export'],
    ],
    [
      'the Export button',
      'Use the Export button when you are happy.',
      'The extension is exporting the MP3 for you.',
      ['export'],
    ],
    [
      'open a panel',
      'Open the audio panel to adjust the volume.',
      'The extension checks the project for you.',
      ['show-state'],
    ],
    [
      'drag and drop',
      'Drag the clip onto the timeline to move it.',
      'The extension sends that change for you.',
      ['send-edit'],
    ],
    [
      'preview in the timeline',
      'You can preview it in the timeline.',
      'The extension shows a summary of the tracks.',
      ['show-tracks'],
    ],
    [
      'check the account page',
      'Check your account page for your credit balance.',
      'The extension checks your credits for you.',
      ['check-credits'],
    ],
    ['any other click', 'Click Apply to confirm.', 'The extension does that step for you.', ['do-it']],
    ['点击导出', '完成！点击导出下载 MP3。', '完成！扩展正在为你导出 MP3。', ['export']],
    ['打开面板', '请打开右侧面板。', '扩展正在为你查看项目状态。', ['show-state']],
    ['拖拽', '拖拽片段到时间线上。', '扩展正在为你发送这项修改。', ['send-edit']],
    ['no GUI step', 'I extracted the audio track (1.5 MB).', 'I extracted the audio track (1.5 MB).', []],
    ['mentions export without asking', 'The audio is ready for export.', 'The audio is ready for export.', []],
    ['Chinese without a GUI step', '音频已经提取好了。', '音频已经提取好了。', []],
    ['empty', '', '', []],
  ])('%s', (_label, text, expected, actions) => {
    expect(translateGuiWording(text)).toEqual({ text: expected, actions });
  });

  it('says an action once, however often the text asks for it', () => {
    expect(translateGuiWording('Click Export. Then click Export again!')).toEqual({
      text: 'The extension is exporting the MP3 for you.',
      actions: ['export'],
    });
  });

  it('keeps the paragraphs and the sentences around the GUI step', () => {
    expect(translateGuiWording('Audio extracted.\n\nClick Export to save it. Enjoy!')).toEqual({
      text: 'Audio extracted.\n\nThe extension is exporting the MP3 for you. Enjoy!',
      actions: ['export'],
    });
  });
});

describe('translateGuiWording with other words for an action', () => {
  it.each([
    ['Done! Click Export to download your MP3.', 'Done! Press Export MP3 when ready.'],
    ['完成了！点击导出按钮下载。', '完成了！准备好后按 Export MP3。'],
  ])('%s → %s', (text, expected) => {
    const wording = { export: { english: 'Press Export MP3 when ready.', chinese: '准备好后按 Export MP3。' } };
    expect(translateGuiWording(text, wording).text).toBe(expected);
  });
});
