package gorgiastest

import (
	"encoding/json"
	"github.com/go-gorgias/gorgias/internal/rawjson"
	"net/http"
	"strconv"
	"sync"
)

// enc writes JSON by hand, straight from the records: no intermediate
// structs, no reflection on the hot paths. Each resource's file has the
// functions that write its objects, in the key order of the reference's
// recorded payloads (testdata/).
//
//	e.open()
//	e.k("id").int(t.id)
//	e.k("tags").arr(); …; e.end()
//	e.close()
type enc struct {
	b     []byte
	comma bool // a value was written at this level: the next one needs a comma
}

func (e *enc) sep() {
	if e.comma {
		e.b = append(e.b, ',')
	}
	e.comma = true
}

// k writes an object key; the next call writes its value.
func (e *enc) k(name string) *enc {
	e.sep()
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
	e.comma = false
	return e
}

func (e *enc) open()  { e.sep(); e.b = append(e.b, '{'); e.comma = false }
func (e *enc) close() { e.b = append(e.b, '}'); e.comma = true }
func (e *enc) arr()   { e.sep(); e.b = append(e.b, '['); e.comma = false }
func (e *enc) end()   { e.b = append(e.b, ']'); e.comma = true }

func (e *enc) null()           { e.sep(); e.b = append(e.b, "null"...) }
func (e *enc) str(s string)    { e.sep(); e.b = appendString(e.b, s) }
func (e *enc) int(n int64)     { e.sep(); e.b = strconv.AppendInt(e.b, n, 10) }
func (e *enc) bool(v bool)     { e.sep(); e.b = strconv.AppendBool(e.b, v) }
func (e *enc) time(t ts)       { e.sep(); e.b = appendTime(e.b, t) }
func (e *enc) float(f float64) { e.sep(); e.b = strconv.AppendFloat(e.b, f, 'g', -1, 64) }

// strOrNull writes s, or null where s is empty.
func (e *enc) strOrNull(s string) {
	if s == "" {
		e.null()
		return
	}
	e.str(s)
}

func (e *enc) nstr(s nstr) {
	if !s.ok {
		e.null()
		return
	}
	e.str(s.v)
}

func (e *enc) strp(s *string) {
	if s == nil {
		e.null()
		return
	}
	e.str(*s)
}

// id writes a nullable id: 0 is null.
func (e *enc) id(n int64) {
	if n == 0 {
		e.null()
		return
	}
	e.int(n)
}

// raw writes stored JSON as is; nil is null.
func (e *enc) raw(v json.RawMessage) {
	if len(v) == 0 {
		e.null()
		return
	}
	e.sep()
	e.b = append(e.b, v...)
}

// timeLayout is how the API writes datetimes: microseconds and +00:00.
const timeLayout = "2006-01-02T15:04:05.000000"

func appendTime(b []byte, t ts) []byte {
	if t == 0 {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.Time().AppendFormat(b, timeLayout)
	return append(b, `+00:00"`...)
}

// appendString writes s as a JSON string, as encoding/json does.
func appendString(b []byte, s string) []byte { return rawjson.AppendString(b, s) }

// call is one request being served: the handlers' view of it.
type call struct {
	w  http.ResponseWriter
	r  *http.Request
	st *store
}

// json answers status with the JSON write writes.
func (c *call) json(status int, write func(*enc)) {
	bp := buffers.Get().(*[]byte)
	e := enc{b: (*bp)[:0]}
	write(&e)
	e.b = append(e.b, '\n')
	c.w.Header().Set("Content-Type", "application/json")
	c.w.WriteHeader(status)
	_, _ = c.w.Write(e.b)
	if cap(e.b) <= 1<<20 { // keep page-sized buffers, not huge ones
		*bp = e.b
		buffers.Put(bp)
	}
}

// buffers are reused by the answers: a page of 100 tickets is ~100 KB.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 128<<10); return &b }}

// ok answers 200 with one object.
func (c *call) ok(write func(*enc)) { c.json(http.StatusOK, write) }

// data answers 200 with {"data": [...]}, as ticket tags and custom field
// values are listed.
func (c *call) data(write func(*enc)) {
	c.ok(func(e *enc) {
		e.open()
		e.k("data").arr()
		write(e)
		e.end()
		e.close()
	})
}

// status answers with an empty body.
func (c *call) status(code int) { c.w.WriteHeader(code) }
