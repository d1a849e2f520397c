package repo

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
)

// StablePatchID is `git patch-id --stable` of one patch made by Patch,
// computed in process: the same line rules, whitespace removal and per-file
// SHA-1 sum with carry as git's builtin/patch-id.c, so a scan pays no git
// process per commit. It returns "" where git prints nothing (no diff).
func StablePatchID(patch []byte) string {
	var result [sha1.Size]byte
	h := sha1.New()
	patchlen := 0
	before, after := -1, -1
	flush := func() {
		var sum [sha1.Size]byte
		h.Sum(sum[:0])
		h.Reset()
		carry := 0
		for i := range result {
			carry += int(result[i]) + int(sum[i])
			result[i] = byte(carry)
			carry >>= 8
		}
	}
	var preOID, postOID []byte // of the last index line: what a binary diff hashes
	binary := false
	buf := make([]byte, 0, 256)
	for rest := patch; len(rest) > 0; {
		var line []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			line, rest = rest, nil
		}
		// git reads each line as a C string: a NUL ends it.
		if i := bytes.IndexByte(line, 0); i >= 0 {
			line = line[:i]
		}
		p := line
		prefixed := false
		for _, pre := range []string{"commit ", "From "} {
			if bytes.HasPrefix(line, []byte(pre)) {
				p, prefixed = line[len(pre):], true
				break
			}
		}
		if !prefixed && bytes.HasPrefix(line, []byte(`\ `)) && len(line) > 12 {
			continue
		}
		if isOIDHex(p) {
			break // the next patch of a series: Patch makes one only
		}
		if patchlen == 0 && !bytes.HasPrefix(line, []byte("diff ")) {
			continue
		}
		if before == -1 {
			if bytes.HasPrefix(line, []byte("GIT binary patch")) || bytes.HasPrefix(line, []byte("Binary files")) {
				binary = true
				before = 0
				h.Write(preOID)
				h.Write(postOID)
				flush()
				continue
			} else if rest, ok := bytes.CutPrefix(line, []byte("index ")); ok {
				if dots := bytes.Index(line, []byte("..")); dots >= 0 {
					end := bytes.IndexByte(line[dots:], ' ')
					if end < 0 {
						end = len(line) - 1 // the newline, or the last byte
					} else {
						end += dots
					}
					preOID = clip(line[len(line)-len(rest) : dots])
					if dots+2 <= end {
						postOID = clip(line[dots+2 : end])
					} else {
						postOID = nil
					}
				}
				continue
			} else if bytes.HasPrefix(line, []byte("--- ")) {
				before, after = 1, 1
			} else if len(line) == 0 || !isAlpha(line[0]) {
				break
			}
		}
		if binary {
			if bytes.HasPrefix(line, []byte("diff ")) {
				binary = false
				before = -1
			}
			continue
		}
		if before == 0 && after == 0 {
			if bytes.HasPrefix(line, []byte("@@ -")) {
				scanHunkHeader(line, &before, &after)
				continue
			}
			if !bytes.HasPrefix(line, []byte("diff ")) {
				break
			}
			flush()
			before, after = -1, -1
		}
		if len(line) > 0 && (line[0] == '-' || line[0] == ' ') {
			before--
		}
		if len(line) > 0 && (line[0] == '+' || line[0] == ' ') {
			after--
		}
		buf = buf[:0]
		for _, c := range line {
			if !gitSpace(c) {
				buf = append(buf, c)
			}
		}
		patchlen += len(buf)
		h.Write(buf)
	}
	if patchlen == 0 {
		return ""
	}
	flush()
	return hex.EncodeToString(result[:])
}

// clip is strlcpy into git's GIT_MAX_HEXSZ+1 buffer: at most 64 bytes.
func clip(b []byte) []byte {
	if len(b) > 64 {
		b = b[:64]
	}
	return append([]byte(nil), b...)
}

// scanHunkHeader is git's: the old and new line counts of "@@ -a,b +c,d @@",
// left as they were when the header does not parse.
func scanHunkHeader(line []byte, before, after *int) {
	q := line[4:]
	n := digits(q)
	if n < len(q) && q[n] == ',' {
		q = q[n+1:]
		n = digits(q)
	}
	if n == 0 || n+1 >= len(q) || q[n] != ' ' || q[n+1] != '+' {
		return
	}
	r := q[n+2:]
	m := digits(r)
	if m < len(r) && r[m] == ',' {
		r = r[m+1:]
		m = digits(r)
	}
	if m == 0 {
		return
	}
	*before = atoi(q)
	*after = atoi(r)
}

func digits(b []byte) int {
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	return n
}

// atoi is C's: the leading digits, saturating instead of overflowing.
func atoi(b []byte) int {
	v := 0
	for _, c := range b[:digits(b)] {
		if v > 1<<40 {
			break
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// gitSpace is git's isspace (sane_ctype): space, tab, LF and CR only.
func gitSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// isOIDHex is get_oid_hex's test: 40 hex digits at the start of b.
func isOIDHex(b []byte) bool {
	if len(b) < 40 {
		return false
	}
	for _, c := range b[:40] {
		if !(c >= '0' && c <= '9' || (c|0x20) >= 'a' && (c|0x20) <= 'f') {
			return false
		}
	}
	return true
}
