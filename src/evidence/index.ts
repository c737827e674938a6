// What a test saw, kept for later: the HTML timeline, the report attachments, saved recordings
// loaded back, and the CLI that renders them.
export { renderTimeline, type TimelineInput } from './timeline.js';
export { loadRecording, type SavedRecording } from './load.js';
