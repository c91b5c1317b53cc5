package gorgiastest

import (
	"errors"
	"sync"
)

// pipe carries an answer's body from the handler to the client, as a
// socket does: the handler's writes are buffered, up to pipeChunks chunks
// of at most pipeChunk bytes (1 MiB), so a handler is not held up by a
// client that has not read its body yet; past that, a write waits for the
// client to read or to close the body. It waits on channels only, so a
// goroutine waiting on it in a testing/synctest bubble is durably blocked.
type pipe struct {
	chunks chan []byte
	werr   error // set before chunks is closed: io.EOF, or why the writer stopped

	done     chan struct{} // closed when the reader is closed
	doneOnce sync.Once
	rerr     error // set before done is closed

	rest []byte // the reader's part of the current chunk
}

const (
	pipeChunk  = 32 << 10
	pipeChunks = 32
)

func newPipe() *pipe {
	return &pipe{chunks: make(chan []byte, pipeChunks), done: make(chan struct{})}
}

// write copies b into the pipe (the caller may reuse b at once).
func (p *pipe) write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		c := append([]byte(nil), b[:min(len(b), pipeChunk)]...)
		select {
		case <-p.done:
			return n, p.rerr
		default:
		}
		select {
		case p.chunks <- c:
			n += len(c)
			b = b[len(c):]
		case <-p.done:
			return n, p.rerr
		}
	}
	return n, nil
}

// closeWrite ends the body: the reader reads what is buffered, then err
// (io.EOF for a complete body). Only the writer calls it, once.
func (p *pipe) closeWrite(err error) {
	p.werr = err
	close(p.chunks)
}

// read reads the body: buffered bytes, then the writer's error.
func (p *pipe) read(b []byte) (int, error) {
	select {
	case <-p.done:
		return 0, p.rerr
	default:
	}
	if len(p.rest) == 0 {
		select {
		case c, ok := <-p.chunks:
			if !ok {
				return 0, p.werr
			}
			p.rest = c
		case <-p.done:
			return 0, p.rerr
		}
	}
	n := copy(b, p.rest)
	p.rest = p.rest[n:]
	return n, nil
}

// closeRead stops reading: the writer's writes fail with err from now on,
// and so do reads. Safe to call more than once, from any goroutine.
func (p *pipe) closeRead(err error) {
	p.doneOnce.Do(func() {
		if err == nil {
			err = errClosedBody
		}
		p.rerr = err
		close(p.done)
	})
}

// errClosedBody is what reads of a closed body return, as net/http's.
var errClosedBody = errors.New("http: read on closed response body")
