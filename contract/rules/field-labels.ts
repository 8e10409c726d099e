/** The words a creator sees for each request field; messages lead with them so both UI and API name the field. */
const LABELS: Record<string, string> = {
  model_name: 'Model',
  image: 'Start frame (image)',
  image_tail: 'End frame (image_tail)',
  prompt: 'Prompt',
  negative_prompt: 'Negative prompt',
  voice_list: 'Voices (voice_list)',
  sound: 'Sound',
  cfg_scale: 'Prompt strength (cfg_scale)',
  mode: 'Mode',
  static_mask: 'Static mask (static_mask)',
  dynamic_masks: 'Dynamic masks (dynamic_masks)',
  camera_control: 'Camera (camera_control)',
  duration: 'Duration',
  callback_url: 'callback_url',
  external_task_id: 'external_task_id',
  multi_shot: 'Multi-shot (multi_shot)',
  shot_type: 'Shot type (shot_type)',
  multi_prompt: 'Storyboard (multi_prompt)',
  // Motion control.
  image_url: 'Character picture (image_url)',
  video_url: 'Reference video (video_url)',
  character_orientation: 'Character orientation (character_orientation)',
  keep_original_sound: "Keep the video's sound (keep_original_sound)",
  element_list: 'Elements (element_list)',
  watermark_info: 'watermark_info',
};

export function fieldLabel(path: string): string {
  const exact = LABELS[path];
  if (exact) return exact;
  const dm = /^dynamic_masks\[(\d+)\](?:\.(mask|trajectories))?/.exec(path);
  if (dm) {
    const n = Number(dm[1]) + 1;
    if (dm[2] === 'mask') return `Dynamic mask ${n} (${path})`;
    if (dm[2] === 'trajectories') return `Dynamic mask ${n} trajectory (${path})`;
    return `Dynamic mask ${n} (${path})`;
  }
  const shot = /^multi_prompt\[(\d+)\](?:\.(prompt|duration|index))?/.exec(path);
  if (shot) {
    const n = Number(shot[1]) + 1;
    const part = { prompt: ' prompt', duration: ' length', index: ' index' }[shot[2] ?? ''] ?? '';
    return `Shot ${n}${part} (${path})`;
  }
  if (path.startsWith('element_list')) return `Elements (${path})`;
  if (path.startsWith('camera_control')) return `Camera (${path})`;
  if (path.startsWith('voice_list')) return `Voices (${path})`;
  return path;
}
