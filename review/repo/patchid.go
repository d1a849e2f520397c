package repo

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"hash"
)

// StablePatchID is `git patch-id --stable` of one patch made by Patch,
// computed in process: the same line rules, whitespace removal and per-file
// SHA-1 sum with carry as git's builtin/patch-id.c, so a scan pays no git
// process per commit. It returns "" where git prints nothing (no diff).
func StablePatchID(patch []byte) string {
	p := newPatchIDHasher()
	for rest := patch; len(rest) > 0; {
		var line []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			line, rest = rest, nil
		}
		p.line(line)
	}
	return p.sum()
}

// patchIDHasher is git's get_one_patchid fed one line at a time; a long
// line may come in chunks (line, then more), so a 50 MB line is hashed
// without being held.
type patchIDHasher struct {
	h                 hash.Hash
	result            [sha1.Size]byte
	patchlen          int
	before, after     int
	preOID, postOID   []byte // of the last index line: what a binary diff hashes
	binary            bool
	stopped           bool // git stopped reading: the rest is not this patch
	hashing, cutAtNUL bool // what the current line's further chunks do
	buf               []byte
}

func newPatchIDHasher() *patchIDHasher {
	return &patchIDHasher{h: sha1.New(), before: -1, after: -1}
}

func (p *patchIDHasher) flush() {
	var sum [sha1.Size]byte
	p.h.Sum(sum[:0])
	p.h.Reset()
	carry := 0
	for i := range p.result {
		carry += int(p.result[i]) + int(sum[i])
		p.result[i] = byte(carry)
		carry >>= 8
	}
}

// line takes the start of a line (all of it when it is short).
func (p *patchIDHasher) line(line []byte) {
	p.hashing, p.cutAtNUL = false, false
	if p.stopped {
		return
	}
	// git reads each line as a C string: a NUL ends it.
	if i := bytes.IndexByte(line, 0); i >= 0 {
		line, p.cutAtNUL = line[:i], true
	}
	rest := line
	prefixed := false
	for _, pre := range []string{"commit ", "From "} {
		if bytes.HasPrefix(line, []byte(pre)) {
			rest, prefixed = line[len(pre):], true
			break
		}
	}
	if !prefixed && bytes.HasPrefix(line, []byte(`\ `)) && len(line) > 12 {
		return
	}
	if isOIDHex(rest) {
		p.stopped = true // the next patch of a series: Patch makes one only
		return
	}
	if p.patchlen == 0 && !bytes.HasPrefix(line, []byte("diff ")) {
		return
	}
	if p.before == -1 {
		if bytes.HasPrefix(line, []byte("GIT binary patch")) || bytes.HasPrefix(line, []byte("Binary files")) {
			p.binary = true
			p.before = 0
			p.h.Write(p.preOID)
			p.h.Write(p.postOID)
			p.flush()
			return
		} else if bytes.HasPrefix(line, []byte("index ")) {
			p.indexLine(line)
			return
		} else if bytes.HasPrefix(line, []byte("--- ")) {
			p.before, p.after = 1, 1
		} else if len(line) == 0 || !isAlpha(line[0]) {
			p.stopped = true
			return
		}
	}
	if p.binary {
		if bytes.HasPrefix(line, []byte("diff ")) {
			p.binary = false
			p.before = -1
		}
		return
	}
	if p.before == 0 && p.after == 0 {
		if bytes.HasPrefix(line, []byte("@@ -")) {
			scanHunkHeader(line, &p.before, &p.after)
			return
		}
		if !bytes.HasPrefix(line, []byte("diff ")) {
			p.stopped = true
			return
		}
		p.flush()
		p.before, p.after = -1, -1
	}
	if len(line) > 0 && (line[0] == '-' || line[0] == ' ') {
		p.before--
	}
	if len(line) > 0 && (line[0] == '+' || line[0] == ' ') {
		p.after--
	}
	p.hashing = !p.cutAtNUL
	p.hash(line)
}

// more takes the next chunk of the current line.
func (p *patchIDHasher) more(chunk []byte) {
	if p.stopped || !p.hashing {
		return
	}
	if i := bytes.IndexByte(chunk, 0); i >= 0 {
		chunk, p.hashing = chunk[:i], false
	}
	p.hash(chunk)
}

// hash adds b without its whitespace.
func (p *patchIDHasher) hash(b []byte) {
	p.buf = p.buf[:0]
	for _, c := range b {
		if !gitSpace(c) {
			p.buf = append(p.buf, c)
		}
	}
	p.patchlen += len(p.buf)
	p.h.Write(p.buf)
}

// indexLine keeps the blob ids of "index A..B[ mode]", as git does, for a
// binary diff that may follow.
func (p *patchIDHasher) indexLine(line []byte) {
	dots := bytes.Index(line, []byte(".."))
	if dots < 0 {
		return
	}
	end := bytes.IndexByte(line[dots:], ' ')
	if end < 0 {
		end = len(line) - 1 // the newline, or the last byte
	} else {
		end += dots
	}
	p.preOID = clip(line[len("index "):dots])
	p.postOID = nil
	if dots+2 <= end {
		p.postOID = clip(line[dots+2 : end])
	}
}

func (p *patchIDHasher) sum() string {
	if p.patchlen == 0 {
		return ""
	}
	p.flush()
	return hex.EncodeToString(p.result[:])
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
