package bench

import (
	"encoding/json"
	"flag"
	"reflect"
	"slices"

	"github.com/bytedance/sonic"
	"github.com/go-gorgias/gorgias"
	gojson "github.com/goccy/go-json"
)

// reverse runs the implementations in the opposite order: scripts/bench
// alternates it between rounds, so that no implementation always runs
// first (or last) on a machine whose load drifts.
var reverse = flag.Bool("bench.reverse", false, "run the implementations in reverse order")

// codec is one implementation: how it decodes a payload into a new value
// of its own types and encodes that value back.
type codec struct {
	name   string
	decode func(kind string, data []byte) (any, error)
	encode func(v any) ([]byte, error)
	// encodeOnly: the implementation has no decoder of its own (decode
	// only prepares the value to encode), so BenchmarkDecode skips it.
	encodeOnly bool
}

// precomputed is a json.Marshaler at no cost: its MarshalJSON returns the
// bytes it was made with.
type precomputed struct{ data []byte }

// MarshalJSON returns the precomputed encoding.
func (p *precomputed) MarshalJSON() ([]byte, error) { return p.data, nil }

// marshalerFloor is the floor of every json.Marshaler under json.Marshal:
// encoding/json v1 checks and compacts whatever a MarshalJSON returns,
// byte by byte, into its own buffer, and copies the result out. Its value
// is encoding/json's own encoding of the payload's plain mirror, so that
// it writes the same bytes as the encoding-json impl: floor ÷
// encoding-json is the least any type that implements MarshalJSON (as the
// SDK's must, to write back unknown keys and nulls) can cost through
// json.Marshal, however fast its MarshalJSON.
func marshalerFloor() codec {
	return codec{
		name: "marshaler-floor",
		decode: func(kind string, data []byte) (any, error) {
			v := reflect.New(plainType(kind)).Interface()
			if err := json.Unmarshal(data, v); err != nil {
				return nil, err
			}
			out, err := json.Marshal(v)
			return &precomputed{out}, err
		},
		encode:     json.Marshal,
		encodeOnly: true,
	}
}

// sdkType is the SDK's type for a payload.
func sdkType(kind string) reflect.Type {
	switch kind {
	case "page100":
		return reflect.TypeFor[gorgias.Page[gorgias.Ticket]]()
	case "ticket":
		return reflect.TypeFor[gorgias.Ticket]()
	case "message100k":
		return reflect.TypeFor[gorgias.Message]()
	}
	panic("bench: no payload " + kind)
}

// plainType is the peers' type for a payload: the mirror of the SDK's.
func plainType(kind string) reflect.Type {
	if kind == "page100" {
		return pageMirror(reflect.TypeFor[gorgias.Ticket]())
	}
	return mirror(sdkType(kind))
}

// peer builds the codec of a library with the encoding/json API.
func peer(name string, unmarshal func([]byte, any) error, marshal func(any) ([]byte, error)) codec {
	return codec{
		name: name,
		decode: func(kind string, data []byte) (any, error) {
			v := reflect.New(plainType(kind)).Interface()
			return v, unmarshal(data, v)
		},
		encode: marshal,
	}
}

// codecs lists the implementations: the SDK called directly (as the
// client does: one pass, no validation by encoding/json), the SDK's types
// through encoding/json's Marshal and Unmarshal (as a program that holds
// them does), the peers, and the floor of any json.Marshaler under
// json.Marshal (encode only). json/v2 joins under GOEXPERIMENT=jsonv2.
func codecs() []codec {
	list := []codec{
		{
			name: "sdk",
			decode: func(kind string, data []byte) (any, error) {
				v := reflect.New(sdkType(kind)).Interface()
				return v, v.(json.Unmarshaler).UnmarshalJSON(data)
			},
			encode: func(v any) ([]byte, error) { return v.(json.Marshaler).MarshalJSON() },
		},
		{
			name: "sdk-via-encoding-json",
			decode: func(kind string, data []byte) (any, error) {
				v := reflect.New(sdkType(kind)).Interface()
				return v, json.Unmarshal(data, v)
			},
			encode: json.Marshal,
		},
		peer("encoding-json", json.Unmarshal, json.Marshal),
		peer("goccy", gojson.Unmarshal, gojson.Marshal),
		peer("sonic", sonic.Unmarshal, sonic.Marshal),
		marshalerFloor(),
	}
	list = append(list, extraCodecs...)
	if *reverse {
		slices.Reverse(list)
	}
	return list
}

// extraCodecs are added by files built under a GOEXPERIMENT.
var extraCodecs []codec
