// Every word the interface shows, per language: main.js (the app), pwa.js (the page's notices)
// and the tests all read them from here, so a missing translation is a failing test rather than a
// stray English word. Entries ending in "Html" are markup (links, code); they come only from this
// file, never from a server or the person. Functions take what varies and return the sentence.
//
// Error messages from the core and the endpoints stay in English (they carry the server's own
// reason); `errors` translates them by their code, and the original is shown under it.

export const LANGUAGES = ['en', 'zh-CN'];

const en = {
  languageName: 'English',
  documentTitle: 'Describe & Generate',
  title: 'Describe & Generate',
  tagline: 'A captioning model describes your photo, then a text-to-image model paints a new picture from that caption.',
  language: 'Language',
  options: 'Options',

  yourPhoto: 'Your photo',
  image: 'Image',
  preview: 'Preview of the chosen image',
  dropHint: 'Click to choose a photo, drop one here, or paste it from the clipboard.',
  takePhoto: 'Take photo',
  imageInfo: (name, source) => `${name} · ${source}`,
  imageInfoScaled: (name, source, sent) => `${name} · ${source}, sent as ${sent}`,
  generateCaption: 'Generate caption',
  captionAndGenerate: 'Caption and generate',

  result: 'Result',
  caption: 'Caption',
  captionPlaceholder: 'Generate a caption from the photo, or write your own description.',
  captionHint: 'Edit it freely: “Generate image” paints whatever it says (Ctrl+Enter).',
  generationOptions: 'Generation options',
  optionsHint: 'Empty fields are left to the model’s defaults; only what you set is sent.',
  negativePrompt: 'Negative prompt',
  negativePromptPlaceholder: 'What the picture should not show',
  steps: 'Steps',
  guidanceScale: 'Guidance scale',
  width: 'Width',
  height: 'Height',
  defaultPlaceholder: 'default',
  sizeWarning: 'Width and height differ: a dedicated endpoint will refuse this size.',
  seed: 'Seed',
  randomSeed: 'Random seed',
  seedHint: 'A random seed paints a new picture every time and is shown with it; untick “Random seed” to repeat that picture.',
  seedRandomPlaceholder: 'random for each picture',
  seedNonePlaceholder: 'none',
  generateImage: 'Generate image',
  generatedImage: 'Generated image',
  outputPlaceholder: 'The new picture will appear here.',
  downloadImage: 'Download image',
  seedInfo: (seed) => `Seed: ${seed}`,

  modelLoadingBar: 'Model loading',
  cancel: 'Cancel',

  settings: 'Settings',
  connection: 'Connection',
  token: 'Hugging Face token',
  tokenHintHtml: 'Create one at <a href="https://huggingface.co/settings/tokens" target="_blank" rel="noopener noreferrer">huggingface.co/settings/tokens</a> with the “Inference Providers” permission. It stays in this tab unless you tick the box below.',
  remember: 'Remember on this device',
  endpointStyle: 'Endpoint style',
  styleHfInference: 'Hugging Face Inference',
  styleCustomJson: 'Custom JSON endpoint',
  styleDedicated: 'Dedicated Inference Endpoint',
  styleHintHtml: 'Hugging Face Inference sends the photo as image bytes and receives image bytes. A custom JSON endpoint receives <code>{"inputs": "&lt;base64&gt;"}</code> and answers JSON, as in the original lesson. A dedicated Inference Endpoint is your own deployment on huggingface.cloud.',
  dedicatedNote: 'Dedicated endpoints accept only square sizes: keep Width and Height equal in the generation options.',
  captioning: 'Captioning',
  captionUrl: 'Captioning endpoint',
  chatCaptioning: 'Chat model captioning',
  chatHintHtml: 'Ask a vision-language model through an OpenAI-compatible <code>/v1/chat/completions</code> endpoint instead of an image-to-text model.',
  chatModel: 'Chat model',
  chatPrompt: 'Chat prompt',
  captionTimeout: 'Captioning timeout (s)',
  maxSide: 'Longest side (px)',
  maxSideHint: 'Photos are scaled down to this size before upload. Lower it if an endpoint says the upload is too large.',
  generation: 'Generation',
  generationUrl: 'Generation endpoint',
  openAiImages: 'OpenAI-style image generation',
  openAiHintHtml: 'For providers’ <code>/v1/images/generations</code> routes, which answer <code>{"data": [...]}</code>.',
  imageModel: 'Image model',
  generationTimeout: 'Generation timeout (s)',
  restoreDefaults: 'Restore default settings',

  loadingEngine: 'Loading the image engine…',
  ready: 'Ready. Choose a photo to begin.',
  preparingImage: 'Preparing the image…',
  imageReady: 'Image ready.',
  describing: 'Describing the image…',
  painting: 'Painting the picture…',
  captionReady: 'Caption ready.',
  pictureReady: 'Picture ready.',
  bothReady: 'Caption and picture ready.',
  waitBeforeChoosing: 'Please wait for the current request to finish before choosing another image.',
  cancelling: 'Cancelling…',
  cancelled: 'Cancelled.',
  attempt: (attempt, total) => `attempt ${attempt} of ${total}`,
  retryingIn: (cause, seconds, attempt) => `${cause} — trying again in ${seconds} s (${attempt}).`,
  activityAttempt: (activity, attempt) => `${activity} (${attempt})`,
  modelLoadingCause: 'The model is loading',
  // The core's own summary of what failed ("The server had a problem (HTTP 502)"), or none.
  retryCause: (summary) => summary || 'The endpoint did not answer',
  requestId: (id) => `Request id: ${id}`,

  writeCaptionFirst: 'Write a caption first, or generate one from an image.',
  chooseImageFirst: 'Choose an image first.',
  checkField: (label, problem) => `Check “${label}”: ${problem}`,
  enterCaptionUrl: 'Enter a captioning endpoint in Settings.',
  enterGenerationUrl: 'Enter a generation endpoint in Settings.',
  enterToken: 'Enter your Hugging Face token in Settings first.',
  enterModel: (label) => `Enter the “${label}” in Settings.`,
  reloadToRetry: 'Reload the page to try again.',

  // The page's own failures. English errors need no translation by code: their message is shown.
  emptyCaption: 'The captioning model returned an empty caption.',
  undisplayable: (type) => `The generation endpoint answered with an image this browser cannot display (${type || 'unknown type'}).`,
  engineStopped: (reason) => `The image engine stopped (${reason}).`,
  engineMissing: 'The image engine could not be loaded (worker.js is missing or broken).',
  engineNotStarted: (reason) => `The image engine could not be started (${reason}).`,
  errors: {},

  // pwa.js, outside the app.
  offline: 'You are offline: describing and generating need a connection.',
  updateReady: 'A new version of Describe & Generate is ready.',
  updateNow: 'Update now',
};

const zhCN = {
  languageName: '简体中文',
  documentTitle: '描述与生成',
  title: '描述与生成',
  tagline: '图像描述模型先用文字描述你的照片，再由文生图模型根据这段描述画出一张新图。',
  language: '语言',
  options: '选项',

  yourPhoto: '你的照片',
  image: '图片',
  preview: '所选图片的预览',
  dropHint: '点击选择照片，把照片拖到这里，或从剪贴板粘贴。',
  takePhoto: '拍照',
  imageInfo: (name, source) => `${name} · ${source}`,
  imageInfoScaled: (name, source, sent) => `${name} · ${source}，上传尺寸 ${sent}`,
  generateCaption: '生成描述',
  captionAndGenerate: '描述并生成',

  result: '结果',
  caption: '描述',
  captionPlaceholder: '根据照片生成描述，或者自己写一段。',
  captionHint: '可以随意修改：“生成图片”会按这里写的内容作画（Ctrl+Enter）。',
  generationOptions: '生成选项',
  optionsHint: '留空的项使用模型的默认值；只发送你填写的内容。',
  negativePrompt: '反向提示词',
  negativePromptPlaceholder: '画面中不应出现的内容',
  steps: '步数',
  guidanceScale: '引导系数',
  width: '宽度',
  height: '高度',
  defaultPlaceholder: '默认',
  sizeWarning: '宽度和高度不同：专用端点会拒绝这个尺寸。',
  seed: '种子',
  randomSeed: '随机种子',
  seedHint: '随机种子每次都会画出新图，并显示在图片旁；取消勾选“随机种子”即可重现那张图。',
  seedRandomPlaceholder: '每张图随机',
  seedNonePlaceholder: '无',
  generateImage: '生成图片',
  generatedImage: '生成的图片',
  outputPlaceholder: '新图片会显示在这里。',
  downloadImage: '下载图片',
  seedInfo: (seed) => `种子：${seed}`,

  modelLoadingBar: '模型加载中',
  cancel: '取消',

  settings: '设置',
  connection: '连接',
  token: 'Hugging Face 令牌',
  tokenHintHtml: '在 <a href="https://huggingface.co/settings/tokens" target="_blank" rel="noopener noreferrer">huggingface.co/settings/tokens</a> 创建一个具有“Inference Providers”权限的令牌。除非勾选下面的选项，它只保存在这个标签页中。',
  remember: '在此设备上记住',
  endpointStyle: '端点类型',
  styleHfInference: 'Hugging Face Inference',
  styleCustomJson: '自定义 JSON 端点',
  styleDedicated: '专用推理端点（Dedicated Inference Endpoint）',
  styleHintHtml: 'Hugging Face Inference 以图片字节发送照片，并接收图片字节。自定义 JSON 端点接收 <code>{"inputs": "&lt;base64&gt;"}</code> 并返回 JSON，与原课程相同。专用推理端点是你自己在 huggingface.cloud 上的部署。',
  dedicatedNote: '专用端点只接受正方形尺寸：请在生成选项中保持宽度和高度相等。',
  captioning: '图像描述',
  captionUrl: '描述端点',
  chatCaptioning: '用对话模型生成描述',
  chatHintHtml: '通过兼容 OpenAI 的 <code>/v1/chat/completions</code> 端点询问视觉语言模型，而不是使用图生文模型。',
  chatModel: '对话模型',
  chatPrompt: '对话提示词',
  captionTimeout: '描述超时（秒）',
  maxSide: '最长边（像素）',
  maxSideHint: '照片在上传前会缩小到这个尺寸。如果端点提示上传内容过大，请调小它。',
  generation: '图片生成',
  generationUrl: '生成端点',
  openAiImages: 'OpenAI 风格的图片生成',
  openAiHintHtml: '用于服务商的 <code>/v1/images/generations</code> 路由，它们返回 <code>{"data": [...]}</code>。',
  imageModel: '图片模型',
  generationTimeout: '生成超时（秒）',
  restoreDefaults: '恢复默认设置',

  loadingEngine: '正在加载图像引擎…',
  ready: '准备就绪。请选择一张照片开始。',
  preparingImage: '正在处理图片…',
  imageReady: '图片已就绪。',
  describing: '正在描述图片…',
  painting: '正在作画…',
  captionReady: '描述已生成。',
  pictureReady: '图片已生成。',
  bothReady: '描述和图片都已生成。',
  waitBeforeChoosing: '请等当前请求完成后再选择其他图片。',
  cancelling: '正在取消…',
  cancelled: '已取消。',
  attempt: (attempt, total) => `第 ${attempt} 次尝试，共 ${total} 次`,
  retryingIn: (cause, seconds, attempt) => `${cause}——${seconds} 秒后重试（${attempt}）。`,
  activityAttempt: (activity, attempt) => `${activity}（${attempt}）`,
  modelLoadingCause: '模型正在加载',
  retryCause: (summary) => (summary ? `请求未成功（${summary}）` : '端点没有响应'),
  requestId: (id) => `请求 ID：${id}`,

  writeCaptionFirst: '请先写一段描述，或根据图片生成描述。',
  chooseImageFirst: '请先选择一张图片。',
  checkField: (label, problem) => `请检查“${label}”：${problem}`,
  enterCaptionUrl: '请在设置中填写描述端点。',
  enterGenerationUrl: '请在设置中填写生成端点。',
  enterToken: '请先在设置中填写你的 Hugging Face 令牌。',
  enterModel: (label) => `请在设置中填写“${label}”。`,
  reloadToRetry: '请重新加载页面再试。',

  // The page's own failures keep an English message (like the core's) and are translated below.
  emptyCaption: en.emptyCaption,
  undisplayable: en.undisplayable,
  engineStopped: en.engineStopped,
  engineMissing: en.engineMissing,
  engineNotStarted: en.engineNotStarted,
  errors: {
    invalid_settings: '设置有误。',
    unsupported_format: '无法识别这种图片格式。',
    image_too_large: '图片太大，无法处理。',
    decode_failed: '无法读取这张图片。',
    encode_failed: '无法为上传编码这张图片。',
    unauthorized: '令牌未被接受。',
    forbidden: '这个令牌无权调用此模型。',
    payment_required: '此账户的推理额度已用完。',
    not_found: '这个地址上没有找到模型。',
    retired: '这个模型或地址已停用。',
    request_too_large: '上传内容对这个端点来说太大。',
    rejected: '端点拒绝了这个请求。',
    rate_limited: '请求太多，请稍后再试。',
    model_loading: '模型还没有准备好，请一分钟后再试。',
    server_error: '服务器出了问题，请稍后再试。',
    http: '端点返回了错误。',
    network: '无法连接到端点（网络、地址或 CORS 问题）。',
    offline: '你已离线。',
    timeout: '端点没有及时响应。',
    cancelled: '已取消。',
    malformed_response: '端点的回答无法识别。',
    internal: '图像引擎出错。',
    unknown_request: '图像引擎收到了无法识别的请求。',
    engine_unavailable: '图像引擎无法运行。',
    terminated: '应用已关闭。',
    'empty-caption': '描述模型返回了空的描述。',
    undisplayable: '生成端点返回的图片无法在这个浏览器中显示。',
    unknown: '出错了。',
  },

  offline: '你已离线：描述和生成图片需要网络连接。',
  updateReady: '“描述与生成”有新版本可用。',
  updateNow: '立即更新',
};

export const STRINGS = { en, 'zh-CN': zhCN };

/**
 * The supported language for a requested one ("zh", "zh-Hans-CN", "en-GB"…), or null. Every
 * Chinese variant gets the simplified Chinese interface, the only Chinese one there is.
 */
export function supportedLanguage(requested) {
  const tag = String(requested ?? '').trim().toLowerCase();
  if (!tag) return null;
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return null;
}

/** The language a browser asks for first among the ones offered, else English. */
export function browserLanguage(languages = globalThis.navigator?.languages ?? []) {
  for (const language of languages) {
    const supported = supportedLanguage(language);
    if (supported) return supported;
  }
  return 'en';
}
