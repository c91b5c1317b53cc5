package gorgiastest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"testing/synctest"
)

// A write past the pipe's buffer waits for the reader; a reader that
// closes the body releases it.
func TestPipeBuffersThenWaitsForTheReader(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := newPipe()
		small := bytes.Repeat([]byte("x"), pipeChunk*pipeChunks)
		n, err := p.write(small) // fits: returns without a reader
		if err != nil || n != len(small) {
			t.Fatalf("write of the buffer's size: %d, %v", n, err)
		}
		var written int
		var werr error
		go func() { written, werr = p.write([]byte("past the buffer")) }()
		synctest.Wait()
		if written != 0 || werr != nil {
			t.Fatalf("the write past the buffer returned before a read: %d, %v", written, werr)
		}
		buf := make([]byte, 10)
		if _, err := p.read(buf); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if written != len("past the buffer") || werr != nil {
			t.Fatalf("after a read: %d, %v", written, werr)
		}
		go func() { written, werr = p.write(small) }()
		synctest.Wait()
		p.closeRead(context.Canceled)
		synctest.Wait()
		if !errors.Is(werr, context.Canceled) {
			t.Fatalf("a write to a closed body: %v", werr)
		}
		if _, err := p.read(buf); !errors.Is(err, context.Canceled) {
			t.Fatalf("a read of a closed body: %v", err)
		}
	})
}

func TestPipeReadsWhatWasWrittenThenTheError(t *testing.T) {
	p := newPipe()
	_, _ = p.write([]byte("hello"))
	p.closeWrite(io.EOF)
	got, err := io.ReadAll(readerFunc(p.read))
	if err != nil || string(got) != "hello" {
		t.Fatalf("%q, %v", got, err)
	}
	p = newPipe()
	_, _ = p.write([]byte("cut"))
	p.closeWrite(errDropped)
	got, err = io.ReadAll(readerFunc(p.read))
	if !errors.Is(err, errDropped) || string(got) != "cut" {
		t.Fatalf("%q, %v", got, err)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(b []byte) (int, error) { return f(b) }
