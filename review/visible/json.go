package visible

import (
	"bytes"
	"encoding/json"
	"io"
	"unicode/utf8"
)

// EncodeJSON writes v as JSON (indented when indent is set) for output that
// may reach a terminal. It is the one JSON encoder every command uses.
// encoding/json leaves DEL, C1 controls (U+009B is a CSI), bidi controls and
// other invisible characters raw; here each is written as \uXXXX (a surrogate
// pair above U+FFFF), so the output is plain ASCII where it matters and still
// decodes to the same value.
func EncodeJSON(w io.Writer, v any, indent bool) error {
	var (
		out []byte
		err error
	)
	if indent {
		out, err = json.MarshalIndent(v, "", "  ")
	} else {
		out, err = json.Marshal(v)
	}
	if err != nil {
		return err
	}
	out = append(EscapeJSON(out), '\n')
	_, err = w.Write(out)
	return err
}

// EscapeJSON rewrites every control, bidi, format, default-ignorable, tag,
// variation-selector and filler character in the JSON document doc as a
// \uXXXX escape. Outside strings JSON holds only ASCII, so every such
// character is inside a string, where the escape means the same character.
// doc is returned unchanged when there is nothing to escape.
func EscapeJSON(doc []byte) []byte {
	i := firstUnsafeJSON(doc)
	if i < 0 {
		return doc
	}
	var b bytes.Buffer
	b.Grow(len(doc) + 16)
	b.Write(doc[:i])
	for i < len(doc) {
		c := doc[i]
		if c < utf8.RuneSelf && c != 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(doc[i:])
		if needsJSONEscape(r, size) {
			writeJSONEscape(&b, r)
		} else {
			b.Write(doc[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

func firstUnsafeJSON(doc []byte) int {
	for i := 0; i < len(doc); {
		c := doc[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(doc[i:])
		if needsJSONEscape(r, size) {
			return i
		}
		i += size
	}
	return -1
}

// needsJSONEscape: C0 controls never reach here raw (encoding/json escapes
// them); invalid UTF-8 is escaped as U+FFFD, which is what a decoder reads.
func needsJSONEscape(r rune, size int) bool {
	return r == 0x7f || (r >= 0x80 && r < 0xa0) || Hidden(r) || (r == utf8.RuneError && size == 1)
}

const hexDigits = "0123456789abcdef"

func writeJSONEscape(b *bytes.Buffer, r rune) {
	if r > 0xffff {
		r -= 0x10000
		writeJSONEscape(b, 0xd800+(r>>10))
		writeJSONEscape(b, 0xdc00+(r&0x3ff))
		return
	}
	b.WriteString(`\u`)
	b.WriteByte(hexDigits[r>>12&0xf])
	b.WriteByte(hexDigits[r>>8&0xf])
	b.WriteByte(hexDigits[r>>4&0xf])
	b.WriteByte(hexDigits[r&0xf])
}
