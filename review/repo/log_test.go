package repo

import (
	"bufio"
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// FuzzParseLogStream: the streaming parser reads what parseLog reads from
// the same bytes, whatever they are, with a buffer small enough that
// fields arrive in pieces.
func FuzzParseLogStream(f *testing.F) {
	rec := func(sha, msg string) string {
		return sha + "\x00" + strings.Repeat("t", 40) + "\x00p1 p2\x00Ann\x00a@example.com\x002025-01-02T03:04:05Z\x00" +
			"Cid\x00c@example.com\x002025-01-02T03:04:06+01:00\x00" + msg + "\x00note\n\x00\n"
	}
	f.Add([]byte(rec(strings.Repeat("a", 40), "subject\n\nbody\n")))
	f.Add([]byte(rec(strings.Repeat("a", 40), "one") + rec(strings.Repeat("b", 40), strings.Repeat("long line ", 40))))
	f.Add([]byte(rec(strings.Repeat("a", 40), "x") + "\x00\x00\x00"))
	f.Add([]byte("a\x00b\x00c\x00d\x00e\x00f\x00g\x00h\x00i\x00j\x00k"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, _ := parseLog(data)
		got, err := parseLogStream(bufio.NewReaderSize(bytes.NewReader(data), 16), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(want) == 0 {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("streamed %+v\nwhole    %+v", got, want)
		}
	})
}
