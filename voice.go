package gorgias

// VoiceService reads voice calls, their events and recordings:
// /api/phone/voice-calls, /api/phone/voice-call-events and
// /api/phone/voice-call-recordings.
type VoiceService service
