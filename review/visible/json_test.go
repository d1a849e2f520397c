package visible

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

type doc struct {
	Subject string            `json:"subject"`
	Lines   []string          `json:"lines"`
	Meta    map[string]string `json:"meta"`
}

func TestEncodeJSONEscapes(t *testing.T) {
	v := doc{
		Subject: "fix\u009b2J\u009d0;t\u0007 admin\u202e \u200b\ufeff\u2060",
		Lines:   []string{"\x1b[31mred", "del\x7f", "tag" + tags("rm -rf ~"), "\u3164\u115f\u2800", "vs\ufe0f\U000e0100", "é 漢 🚀"},
		Meta:    map[string]string{"k\u202ey": "\u2066v\u2069"},
	}
	for _, indent := range []bool{false, true} {
		var b bytes.Buffer
		if err := EncodeJSON(&b, v, indent); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !json.Valid(b.Bytes()) {
			t.Fatalf("invalid JSON: %s", out)
		}
		if !strings.HasSuffix(out, "\n") {
			t.Fatalf("no trailing newline: %q", out)
		}
		for _, r := range out {
			if r == 0x1b || r == 0x7f || (r >= 0x80 && r < 0xa0) || Hidden(r) || Bidi(r) {
				t.Fatalf("%U left raw in %q", r, out)
			}
		}
		for _, want := range []string{`\u009b`, `\u009d`, `\u202e`, `\u200b`, `\ufeff`, `\u2060`, `\u007f`,
			`\udb40\udc72`, `\u3164`, `\u2800`, `\ufe0f`, `\udb40\udd00`, `\u001b`, `é 漢 🚀`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s missing from %s", want, out)
			}
		}
		var back doc
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, v) {
			t.Fatalf("round trip changed the value:\n got %q\nwant %q", back, v)
		}
	}
}

func TestEncodeJSONPlainUnchanged(t *testing.T) {
	var b bytes.Buffer
	if err := EncodeJSON(&b, map[string]any{"a": "<b>&", "n": 1}, false); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), `{"a":"\u003cb\u003e\u0026","n":1}`+"\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestEncodeJSONError(t *testing.T) {
	var b bytes.Buffer
	if err := EncodeJSON(&b, map[string]any{"f": func() {}}, false); err == nil || b.Len() != 0 {
		t.Fatalf("err %v, wrote %q", err, b.String())
	}
}

func FuzzEncodeJSON(f *testing.F) {
	f.Add("\u009b\u202e\U000e0041\x7f\xff", "k")
	f.Add("plain", "\ufe0f")
	f.Fuzz(func(t *testing.T, s, k string) {
		v := map[string][]string{k: {s, s + k}}
		var b bytes.Buffer
		if err := EncodeJSON(&b, v, len(s)%2 == 0); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(b.Bytes()) {
			t.Fatalf("invalid JSON %q", b.String())
		}
		for _, r := range b.String() {
			if r == 0x7f || (r >= 0x80 && r < 0xa0) || Hidden(r) || r < 0x20 && r != '\n' {
				t.Fatalf("%U left raw in %q", r, b.String())
			}
		}
		var back map[string][]string
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		// encoding/json turns invalid UTF-8 into U+FFFD; compare with that.
		var plain bytes.Buffer
		json.NewEncoder(&plain).Encode(v)
		var want map[string][]string
		json.Unmarshal(plain.Bytes(), &want)
		if !reflect.DeepEqual(back, want) {
			t.Fatalf("round trip of %q: got %q want %q", s, back, want)
		}
		if utf8.ValidString(s) && utf8.ValidString(k) && !reflect.DeepEqual(back, v) {
			t.Fatalf("round trip of valid text changed it: %q", back)
		}
	})
}

func BenchmarkEncodeJSON(b *testing.B) {
	type finding struct{ File, Evidence, Message string }
	plain := make([]finding, 200)
	hostile := make([]finding, 200)
	for i := range plain {
		plain[i] = finding{"internal/server/handler.go", "http.HandleFunc(\"/admin\", admin)", "new route /admin"}
		hostile[i] = finding{"main.go", "isAdmin\u202e } \u2066if isAdmin\u2069", "bidi ‮ control"}
	}
	for _, tc := range []struct {
		name string
		v    any
	}{{"plain", plain}, {"hostile", hostile}} {
		b.Run(tc.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := EncodeJSON(&buf, tc.v, true); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
