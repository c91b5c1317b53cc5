package rawjson

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withUndeclared is an item with n keys it does not declare, of every
// JSON kind; repeat sends each of them twice.
func withUndeclared(n int, repeat bool) []byte {
	b := []byte(`{"id":1`)
	for round := range 1 + btoi(repeat) {
		for i := range n {
			switch i % 4 {
			case 0:
				b = fmt.Appendf(b, `,"x_%d":%d`, i, i+round)
			case 1:
				b = fmt.Appendf(b, `,"x_%d":"value %d"`, i, i)
			case 2:
				b = fmt.Appendf(b, `,"x_%d":{"a":[%d,true,null]}`, i, i)
			default:
				b = fmt.Appendf(b, `,"x_%d":null`, i)
			}
		}
	}
	return append(b, '}')
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countingDecode decodes data into a new item and returns how many
// entries of records the decoder compared on the way.
func countingDecode(t *testing.T, data []byte) (int, item) {
	t.Helper()
	var v item
	ds := decodeState{data: data}
	_, err := codecOf(reflect.TypeFor[item]()).dec(&ds, 0, unsafe.Pointer(&v))
	require.NoError(t, err)
	return ds.compared, v
}

// TestUndeclaredKeysAreLinear: an object with many keys its type does not
// declare (kept in Raw), sent once or each twice, costs the decoder a
// bounded number of comparisons per key. Counted, not timed: a lookup
// that scans the keys already kept makes the count grow as n².
func TestUndeclaredKeysAreLinear(t *testing.T) {
	for _, repeat := range []bool{false, true} {
		small, v := countingDecode(t, withUndeclared(1_000, repeat))
		require.Len(t, v.Raw.Keys(), 1_000)
		large, v := countingDecode(t, withUndeclared(10_000, repeat))
		require.Len(t, v.Raw.Keys(), 10_000)
		if repeat {
			got, _ := v.Raw.Get("x_9996")
			assert.Equal(t, "9997", string(got), "a repeated key: the last one wins")
		}
		t.Logf("repeat %v: %d comparisons for 1,000 keys, %d for 10,000 (%.1f×)", repeat, small, large, float64(large)/float64(max(small, 1)))
		assert.LessOrEqual(t, large, 16*2*10_000, "repeat %v: more than 16 comparisons a key", repeat)
	}
}

// TestGetIsLinear: reading every key of an object with many keys its
// type does not declare, and every key it declares (held by the typed
// fields, or kept as sent), costs Get a bounded number of comparisons a
// key. Counted, not timed: scanning the keys on every call makes the count
// grow as n².
func TestGetIsLinear(t *testing.T) {
	for _, n := range []int{1_000, 10_000} {
		data := withUndeclared(n, false)
		data = append(data[:len(data)-1], `,"name":7,"tags":"[]"}`...) // two declared fields kept as sent
		var v item
		require.NoError(t, Unmarshal(data, &v))
		require.NotNil(t, v.Raw.r)
		compared := 0
		for i := range n {
			key := fmt.Sprintf("x_%d", i)
			raw, ok, c := v.Raw.r.lookup(key)
			want, _ := v.Raw.Get(key)
			require.True(t, ok, key)
			require.Equal(t, string(want), string(raw), key)
			compared += c
		}
		for _, key := range []string{"name", "tags", "id", "absent"} {
			raw, ok, c := v.Raw.r.lookup(key)
			compared += c
			switch key {
			case "name", "tags":
				require.True(t, ok, key)
				want, _ := v.Raw.Get(key)
				require.Equal(t, string(want), string(raw), key)
			default:
				require.False(t, ok, key)
			}
		}
		t.Logf("%d keys: %d comparisons", n, compared)
		assert.LessOrEqual(t, compared, 4*(n+4), "%d keys: more than 4 comparisons a key", n)
	}
}

// TestMemoryIsLinear: in every dimension (keys kept in Raw, keys the type
// declares sent again and again, nesting, string length, list length),
// ten times the input costs at most about ten times the allocations and
// bytes: nothing is copied again as the input grows.
func TestMemoryIsLinear(t *testing.T) {
	shapes := map[string]func(n int) []byte{
		"undeclared keys":          func(n int) []byte { return withUndeclared(n, false) },
		"repeated undeclared keys": func(n int) []byte { return withUndeclared(n, true) },
		"repeated declared keys": func(n int) []byte {
			return []byte(`{` + strings.Repeat(`"id":1,"meta":{"a":1},"tags":[{"id":2}],"day":"2026-01-02",`, n) + `"id":2}`)
		},
		"depth": func(n int) []byte {
			return []byte(`{"any":` + strings.Repeat(`{"a":[`, n) + strings.Repeat(`]}`, n) + `,"extra":` + strings.Repeat(`[`, n) + strings.Repeat(`]`, n) + `}`)
		},
		"string length": func(n int) []byte {
			return []byte(`{"name":"` + strings.Repeat(`é\"x`, n) + `","extra":"` + strings.Repeat("a", n) + `"}`)
		},
		"list length": func(n int) []byte {
			return []byte(`{"tags":[` + strings.Repeat(`{"id":1,"x":2},`, n) + `{"id":1}],"any":[` + strings.Repeat(`1,`, n) + `2]}`)
		},
		"quoted in lists": func(n int) []byte {
			return []byte(`{"meta":"` + strings.Repeat(`{\"a\":`, 50) + `1` + strings.Repeat(`}`, 50) + `","tags":` + `"[` + strings.Repeat(`{\"id\":1},`, n) + `{}]"}`)
		},
	}
	for name, shape := range shapes {
		t.Run(name, func(t *testing.T) {
			measure := func(n int) (allocs, bytes float64) {
				data := shape(n)
				var v item
				require.NoError(t, Unmarshal(data, &v)) // the tables are built
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				const runs = 5
				for range runs {
					v = item{}
					if err := Unmarshal(data, &v); err != nil {
						t.Fatal(err)
					}
				}
				runtime.ReadMemStats(&after)
				return float64(after.Mallocs-before.Mallocs) / runs, float64(after.TotalAlloc-before.TotalAlloc) / runs
			}
			a1, b1 := measure(100)
			a10, b10 := measure(1_000)
			t.Logf("×10 input: ×%.2f allocations, ×%.2f bytes", a10/a1, b10/b1)
			assert.LessOrEqual(t, a10, 12*a1, "allocations")
			assert.LessOrEqual(t, b10, 12*b1, "bytes")
		})
	}
}
