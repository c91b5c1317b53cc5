package gorgiastest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"net/url"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// Transport returns an http.RoundTripper that serves requests in memory,
// without a socket: each request goes straight to the fake's handler,
// whatever its URL's host, and the answer's body streams back as the
// handler writes it. A dropped connection (FaultDrop, FaultCommitThenDrop)
// is a *net.OpError wrapping syscall.ECONNRESET; the request's context is
// honoured while the fake works and while the body is read. Server.Client
// sends through it; give it to another HTTP client with
// &http.Client{Transport: srv.Transport()}.
//
// With no socket, a test inside a testing/synctest bubble blocks durably
// while it waits for the fake, so the bubble's clock moves on.
func (s *Server) Transport() http.RoundTripper { return memTransport{s} }

// memTransport serves requests with h, in memory: Server.Transport with
// the fake's handler, and the deliveries of Server.HandleDeliveries with
// the test's.
type memTransport struct{ h http.Handler }

// errDropped is what a client reads when the fake drops the connection:
// what a TCP client reads when the peer resets it.
var errDropped = &net.OpError{Op: "read", Net: "tcp", Addr: memAddr{}, Err: syscall.ECONNRESET}

// memAddr is the in-memory peer's address.
type memAddr struct{}

func (memAddr) Network() string { return "memory" }
func (memAddr) String() string  { return "gorgiastest" }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body := req.Body
	if body == nil {
		body = http.NoBody
	}
	if err := ctx.Err(); err != nil {
		_ = body.Close()
		return nil, err
	}
	if req.URL == nil {
		_ = body.Close()
		return nil, errors.New("gorgiastest: request has no URL")
	}
	trace := httptrace.ContextClientTrace(ctx)
	if trace != nil && trace.GetConn != nil {
		trace.GetConn(hostPort(req.URL))
	}

	// The handler's view: a server request, with its own URL (the
	// router rewrites the path) and the client's body.
	sreq := req.Clone(ctx)
	sreq.Header = wireHeader(req.Header)
	sreq.Body = body
	sreq.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	sreq.RequestURI = req.URL.RequestURI()
	sreq.Proto, sreq.ProtoMajor, sreq.ProtoMinor = "HTTP/1.1", 1, 1
	sreq.RemoteAddr = "gorgiastest:0"
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	if trace != nil && trace.WroteHeaders != nil {
		trace.WroteHeaders() // from here on, the fake may act on the request
	}

	pp := newPipe()
	w := &memWriter{header: http.Header{}, body: pp, ready: make(chan struct{})}
	go t.serve(w, sreq, body)
	select {
	case <-w.ready:
	case <-ctx.Done():
		pp.closeRead(ctx.Err()) // the handler's writes fail from now on
		return nil, ctx.Err()
	}
	if trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{})
	}
	if w.failed != nil {
		pp.closeRead(nil)
		return nil, w.failed
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	resp := &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		ContentLength: -1,
		Request:       req,
	}
	if n, err := strconv.ParseInt(w.sent.Get("Content-Length"), 10, 64); err == nil && n >= 0 {
		resp.ContentLength = n
	}
	stop := context.AfterFunc(ctx, func() { pp.closeRead(ctx.Err()) })
	resp.Body = &memBody{p: pp, stop: stop}
	return resp, nil
}

// serve runs the handler for one request.
func (t memTransport) serve(w *memWriter, r *http.Request, body io.Closer) {
	defer func() {
		_ = body.Close()
		if p := recover(); p != nil {
			var err error = errDropped
			if p != http.ErrAbortHandler { //nolint:errorlint // the sentinel itself is panicked
				err = fmt.Errorf("gorgiastest: the handler panicked: %v", p)
			}
			w.drop(err)
			return
		}
		w.finish()
	}()
	t.h.ServeHTTP(w, r)
}

// wireHeader copies h as it arrives over the wire: keys in canonical form
// (the fake writes Gorgias's "Retry-after"; a client reads Retry-After).
func wireHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		k = textproto.CanonicalMIMEHeaderKey(k)
		out[k] = append(out[k], vs...)
	}
	return out
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// memWriter is the handler's http.ResponseWriter: it hands the status and
// headers to RoundTrip when the handler writes them, then streams the
// body through a pipe.
type memWriter struct {
	header http.Header
	body   *pipe
	ended  bool // the body was closed: only the handler's goroutine reads or sets it
	mu     sync.Mutex
	status int
	sent   http.Header // the headers as written
	failed error       // the connection was dropped before an answer
	ready  chan struct{}
}

func (w *memWriter) Header() http.Header { return w.header }

func (w *memWriter) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writeHeaderLocked(code)
}

func (w *memWriter) writeHeaderLocked(code int) {
	if w.status != 0 || w.failed != nil {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("gorgiastest: invalid status code %d", code))
	}
	w.status, w.sent = code, wireHeader(w.header)
	close(w.ready)
}

func (w *memWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	w.writeHeaderLocked(http.StatusOK)
	failed := w.failed
	w.mu.Unlock()
	if failed != nil {
		return 0, failed
	}
	return w.body.write(b)
}

// drop closes the connection: before an answer, RoundTrip fails with
// err; during one, the body's reader does, once it has read what was
// written before.
func (w *memWriter) drop(err error) {
	w.mu.Lock()
	if w.status == 0 && w.failed == nil {
		w.failed = err
		close(w.ready)
	}
	w.mu.Unlock()
	w.end(err)
}

// finish ends the answer when the handler returns: a handler that wrote
// nothing answers 200 with no body, as net/http's server does.
func (w *memWriter) finish() {
	w.mu.Lock()
	w.writeHeaderLocked(http.StatusOK)
	w.mu.Unlock()
	w.end(io.EOF)
}

func (w *memWriter) end(err error) {
	if !w.ended {
		w.ended = true
		w.body.closeWrite(err)
	}
}

// memBody is an answer's body. Reads stop with the request's context, and
// then return its error.
type memBody struct {
	p    *pipe
	stop func() bool
}

func (b *memBody) Read(p []byte) (int, error) { return b.p.read(p) }

func (b *memBody) Close() error {
	b.stop()
	b.p.closeRead(nil)
	return nil
}

// inBubble reports whether t runs inside a testing/synctest bubble, where
// a listening socket would keep the bubble's clock from moving: its
// Deadline panics there.
func inBubble(t testing.TB) (in bool) {
	tt, ok := t.(*testing.T)
	if !ok {
		return false
	}
	defer func() {
		if recover() != nil {
			in = true
		}
	}()
	_, _ = tt.Deadline()
	return false
}

// noListenerURL is the URL of a fake started without a socket.
const noListenerURL = "http://127.0.0.1:0"
