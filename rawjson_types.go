package gorgias

// Every response type, nested ones included, decodes and encodes through
// the one mechanism of rawjson.go: these methods only hand it the type.
// A new response type needs a `Raw RawFields` field, its two lines here,
// and its place in responseTypes (the round-trip tests walk that list).

// UnmarshalJSON decodes Ticket; see RawFields.
func (t *Ticket) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes Ticket; see RawFields.
func (t Ticket) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes TicketSummary; see RawFields.
func (t *TicketSummary) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes TicketSummary; see RawFields.
func (t TicketSummary) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes TicketTag; see RawFields.
func (t *TicketTag) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes TicketTag; see RawFields.
func (t TicketTag) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes TicketCustomField; see RawFields.
func (t *TicketCustomField) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes TicketCustomField; see RawFields.
func (t TicketCustomField) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes TicketIntegration; see RawFields.
func (t *TicketIntegration) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes TicketIntegration; see RawFields.
func (t TicketIntegration) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes ReplyOption; see RawFields.
func (r *ReplyOption) UnmarshalJSON(data []byte) error { return unmarshalObject(data, r) }

// MarshalJSON encodes ReplyOption; see RawFields.
func (r ReplyOption) MarshalJSON() ([]byte, error) { return marshalObject(&r) }

// UnmarshalJSON decodes ReplyIntegration; see RawFields.
func (r *ReplyIntegration) UnmarshalJSON(data []byte) error { return unmarshalObject(data, r) }

// MarshalJSON encodes ReplyIntegration; see RawFields.
func (r ReplyIntegration) MarshalJSON() ([]byte, error) { return marshalObject(&r) }

// UnmarshalJSON decodes Message; see RawFields.
func (m *Message) UnmarshalJSON(data []byte) error { return unmarshalObject(data, m) }

// MarshalJSON encodes Message; see RawFields.
func (m Message) MarshalJSON() ([]byte, error) { return marshalObject(&m) }

// UnmarshalJSON decodes MessageSource; see RawFields.
func (m *MessageSource) UnmarshalJSON(data []byte) error { return unmarshalObject(data, m) }

// MarshalJSON encodes MessageSource; see RawFields.
func (m MessageSource) MarshalJSON() ([]byte, error) { return marshalObject(&m) }

// UnmarshalJSON decodes Address; see RawFields.
func (a *Address) UnmarshalJSON(data []byte) error { return unmarshalObject(data, a) }

// MarshalJSON encodes Address; see RawFields.
func (a Address) MarshalJSON() ([]byte, error) { return marshalObject(&a) }

// UnmarshalJSON decodes Attachment; see RawFields.
func (a *Attachment) UnmarshalJSON(data []byte) error { return unmarshalObject(data, a) }

// MarshalJSON encodes Attachment; see RawFields.
func (a Attachment) MarshalJSON() ([]byte, error) { return marshalObject(&a) }

// UnmarshalJSON decodes Intent; see RawFields.
func (i *Intent) UnmarshalJSON(data []byte) error { return unmarshalObject(data, i) }

// MarshalJSON encodes Intent; see RawFields.
func (i Intent) MarshalJSON() ([]byte, error) { return marshalObject(&i) }

// UnmarshalJSON decodes SendingError; see RawFields.
func (s *SendingError) UnmarshalJSON(data []byte) error { return unmarshalObject(data, s) }

// MarshalJSON encodes SendingError; see RawFields.
func (s SendingError) MarshalJSON() ([]byte, error) { return marshalObject(&s) }

// UnmarshalJSON decodes MessageMacro; see RawFields.
func (m *MessageMacro) UnmarshalJSON(data []byte) error { return unmarshalObject(data, m) }

// MarshalJSON encodes MessageMacro; see RawFields.
func (m MessageMacro) MarshalJSON() ([]byte, error) { return marshalObject(&m) }

// UnmarshalJSON decodes User; see RawFields.
func (u *User) UnmarshalJSON(data []byte) error { return unmarshalObject(data, u) }

// MarshalJSON encodes User; see RawFields.
func (u User) MarshalJSON() ([]byte, error) { return marshalObject(&u) }

// UnmarshalJSON decodes Team; see RawFields.
func (t *Team) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes Team; see RawFields.
func (t Team) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes Customer; see RawFields.
func (c *Customer) UnmarshalJSON(data []byte) error { return unmarshalObject(data, c) }

// MarshalJSON encodes Customer; see RawFields.
func (c Customer) MarshalJSON() ([]byte, error) { return marshalObject(&c) }

// UnmarshalJSON decodes CustomerChannel; see RawFields.
func (c *CustomerChannel) UnmarshalJSON(data []byte) error { return unmarshalObject(data, c) }

// MarshalJSON encodes CustomerChannel; see RawFields.
func (c CustomerChannel) MarshalJSON() ([]byte, error) { return marshalObject(&c) }

// UnmarshalJSON decodes NamedRef; see RawFields.
func (n *NamedRef) UnmarshalJSON(data []byte) error { return unmarshalObject(data, n) }

// MarshalJSON encodes NamedRef; see RawFields.
func (n NamedRef) MarshalJSON() ([]byte, error) { return marshalObject(&n) }

// UnmarshalJSON decodes Decoration; see RawFields.
func (d *Decoration) UnmarshalJSON(data []byte) error { return unmarshalObject(data, d) }

// MarshalJSON encodes Decoration; see RawFields.
func (d Decoration) MarshalJSON() ([]byte, error) { return marshalObject(&d) }

// UnmarshalJSON decodes Tag; see RawFields.
func (t *Tag) UnmarshalJSON(data []byte) error { return unmarshalObject(data, t) }

// MarshalJSON encodes Tag; see RawFields.
func (t Tag) MarshalJSON() ([]byte, error) { return marshalObject(&t) }

// UnmarshalJSON decodes Survey; see RawFields.
func (s *Survey) UnmarshalJSON(data []byte) error { return unmarshalObject(data, s) }

// MarshalJSON encodes Survey; see RawFields.
func (s Survey) MarshalJSON() ([]byte, error) { return marshalObject(&s) }

// UnmarshalJSON decodes CustomFieldValue; see RawFields.
func (c *CustomFieldValue) UnmarshalJSON(data []byte) error { return unmarshalObject(data, c) }

// MarshalJSON encodes CustomFieldValue; see RawFields.
func (c CustomFieldValue) MarshalJSON() ([]byte, error) { return marshalObject(&c) }

// UnmarshalJSON decodes CustomField; see RawFields.
func (c *CustomField) UnmarshalJSON(data []byte) error { return unmarshalObject(data, c) }

// MarshalJSON encodes CustomField; see RawFields.
func (c CustomField) MarshalJSON() ([]byte, error) { return marshalObject(&c) }

// UnmarshalJSON decodes FieldDefinition; see RawFields.
func (f *FieldDefinition) UnmarshalJSON(data []byte) error { return unmarshalObject(data, f) }

// MarshalJSON encodes FieldDefinition; see RawFields.
func (f FieldDefinition) MarshalJSON() ([]byte, error) { return marshalObject(&f) }

// UnmarshalJSON decodes FieldInputSettings; see RawFields.
func (f *FieldInputSettings) UnmarshalJSON(data []byte) error { return unmarshalObject(data, f) }

// MarshalJSON encodes FieldInputSettings; see RawFields.
func (f FieldInputSettings) MarshalJSON() ([]byte, error) { return marshalObject(&f) }

// UnmarshalJSON decodes VoiceCall; see RawFields.
func (v *VoiceCall) UnmarshalJSON(data []byte) error { return unmarshalObject(data, v) }

// MarshalJSON encodes VoiceCall; see RawFields.
func (v VoiceCall) MarshalJSON() ([]byte, error) { return marshalObject(&v) }

// UnmarshalJSON decodes CallSummary; see RawFields.
func (c *CallSummary) UnmarshalJSON(data []byte) error { return unmarshalObject(data, c) }

// MarshalJSON encodes CallSummary; see RawFields.
func (c CallSummary) MarshalJSON() ([]byte, error) { return marshalObject(&c) }

// UnmarshalJSON decodes VoiceCallEvent; see RawFields.
func (v *VoiceCallEvent) UnmarshalJSON(data []byte) error { return unmarshalObject(data, v) }

// MarshalJSON encodes VoiceCallEvent; see RawFields.
func (v VoiceCallEvent) MarshalJSON() ([]byte, error) { return marshalObject(&v) }

// UnmarshalJSON decodes VoiceCallRecording; see RawFields.
func (v *VoiceCallRecording) UnmarshalJSON(data []byte) error { return unmarshalObject(data, v) }

// MarshalJSON encodes VoiceCallRecording; see RawFields.
func (v VoiceCallRecording) MarshalJSON() ([]byte, error) { return marshalObject(&v) }

// responseTypes lists the types above, for tests.
var responseTypes = []any{
	Ticket{},
	TicketSummary{},
	TicketTag{},
	TicketCustomField{},
	TicketIntegration{},
	ReplyOption{},
	ReplyIntegration{},
	Message{},
	MessageSource{},
	Address{},
	Attachment{},
	Intent{},
	SendingError{},
	MessageMacro{},
	User{},
	Team{},
	Customer{},
	CustomerChannel{},
	NamedRef{},
	Decoration{},
	Tag{},
	Survey{},
	CustomFieldValue{},
	CustomField{},
	FieldDefinition{},
	FieldInputSettings{},
	VoiceCall{},
	CallSummary{},
	VoiceCallEvent{},
	VoiceCallRecording{},
}
