package gorgiastest

import (
	"net/http"
	"slices"
	"strconv"
)

// The documented enums (§3.12 of the reference) the fake enforces on
// every write.
var (
	statuses   = []string{"open", "closed"}
	priorities = []string{"critical", "high", "normal", "low"}
	channels   = []string{"aircall", "api", "chat", "contact_form", "email", "facebook", "facebook-mention",
		"facebook-messenger", "facebook-recommendations", "help-center", "instagram-ad-comment", "instagram-comment",
		"instagram-direct-message", "instagram-mention", "internal-note", "phone", "sms", "twitter",
		"twitter-direct-message", "whatsapp", "yotpo-review"}
	vias = []string{"aircall", "api", "chat", "contact_form", "email", "facebook", "facebook-mention",
		"facebook-messenger", "facebook-recommendations", "form", "gorgias_chat", "help-center", "helpdesk",
		"instagram", "instagram-ad-comment", "instagram-comment", "instagram-direct-message", "instagram-mention",
		"internal-note", "offline_capture", "phone", "rule", "self_service", "shopify", "sms", "twilio", "twitter",
		"twitter-direct-message", "whatsapp", "yotpo", "yotpo-review", "zendesk"}
	sourceTypes = []string{"aircall", "api", "app", "custom-chat", "chat", "chat-contact-form", "chat-offline-capture",
		"contact-form", "email", "facebook", "facebook-comment", "facebook-mention-comment", "facebook-mention-post",
		"facebook-message", "facebook-messenger", "facebook-post", "facebook-review", "facebook-review-comment", "form",
		"google-business-messages", "help-center", "help-center-contact-form", "helpdesk", "instagram",
		"instagram-ad-comment", "instagram-ad-media", "instagram-comment", "instagram-direct-message", "instagram-media",
		"instagram-mention-comment", "instagram-mention-media", "internal-note", "ottspott-call", "phone", "rule",
		"self_service", "shopify", "sms", "system-message", "tiktok-shop", "twilio", "twitter-direct-message",
		"twitter-mention-tweet", "twitter-quoted-tweet", "twitter-tweet", "whatsapp-message", "yotpo-review",
		"yotpo-review-private-comment", "yotpo-review-public-comment"}
	messageActions = []string{"force", "retry", "cancel"}
)

// channelList is the channels this account accepts.
func (st *store) channelList() []string {
	if len(st.channels) == 0 {
		return channels
	}
	return append(slices.Clip(channels), st.channels...)
}

// find returns the record of m that the path parameter param names, or
// a 404 when there is none or it is not visible yet.
func find[T record](c *call, m map[int64]T, param string) (T, *apiError) {
	var zero T
	id, err := strconv.ParseInt(c.r.PathValue(param), 10, 64)
	if err != nil || id <= 0 {
		return zero, notFound()
	}
	v, ok := m[id]
	if !ok || v.hidden(c.st.peek()) {
		return zero, notFound()
	}
	return v, nil
}

// findWithBody returns the record of m that the path parameter id names
// and the body's object, as a write of that record reads them: a 404
// before any fault of the body.
func findWithBody[T record](c *call, m map[int64]T) (T, *obj, *apiError) {
	v, err := find(c, m, "id")
	if err != nil {
		return v, nil, err
	}
	o, err := readObject(c)
	if err != nil {
		return v, nil, err
	}
	return v, o, nil
}

// getOne answers GET …/{id} with write.
func getOne[T record](c *call, m map[int64]T, write func(*enc, T)) *apiError {
	v, err := find(c, m, "id")
	if err != nil {
		return err
	}
	c.ok(func(e *enc) { write(e, v) })
	return nil
}

// deleteOne answers DELETE …/{id}: remove takes the record out, and the
// answer is 204 with no body.
func deleteOne[T record](c *call, m map[int64]T, remove func(T)) *apiError {
	v, err := find(c, m, "id")
	if err != nil {
		return err
	}
	remove(v)
	c.status(http.StatusNoContent)
	return nil
}

// queryID reads an optional id filter of a list, such as ticket_id.
func queryID(c *call, name string, fields fieldErrors) int64 {
	v := c.r.URL.Query().Get(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		fields.add("Must be greater than or equal to 1.", name)
	}
	return id
}

// filterID is queryID for a list with one filter.
func filterID(c *call, name string) (int64, *apiError) {
	fields := fieldErrors{}
	id := queryID(c, name, fields)
	if len(fields) > 0 {
		return 0, badRequest(fields)
	}
	return id, nil
}

// checkAction checks the action query parameter of message writes.
func checkAction(c *call) *apiError {
	if a := c.r.URL.Query().Get("action"); a != "" && !slices.Contains(messageActions, a) {
		return invalid(oneOf(messageActions), "action")
	}
	return nil
}
