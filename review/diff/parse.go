package diff

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseError says where a patch stopped making sense.
type ParseError struct {
	Line int // 1-based line number in the patch
	Msg  string
}

func (e *ParseError) Error() string {
	return "diff: line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// maxNumber bounds hunk header numbers so that sums of them cannot overflow.
const maxNumber = 1 << 30

// Parse reads the output of
//
//	git diff-tree -p -M --no-commit-id --no-color --no-ext-diff --no-textconv -c core.quotepath=false ...
//
// (a unified git diff of one commit, possibly with leading non-diff lines to
// skip) into files. On malformed or truncated input it returns the files
// parsed so far, the last one possibly partial, and a *ParseError.
func Parse(patch []byte) ([]File, error) {
	// One conversion for the whole patch: every Text, path and section is a
	// substring of it, so no line is copied again.
	p := parser{src: string(patch)}
	line, ok := p.next()
	for ok {
		if !strings.HasPrefix(line, "diff --git ") {
			line, ok = p.next()
			continue
		}
		var err error
		line, ok, err = p.file(line)
		if err != nil {
			return p.files, err
		}
	}
	return p.files, nil
}

type parser struct {
	src   string
	pos   int // offset of the next unread line
	n     int // line number of the line last returned by next
	files []File
}

// next returns the next line without its '\n'; ok is false at the end.
func (p *parser) next() (line string, ok bool) {
	if p.pos >= len(p.src) {
		return "", false
	}
	rest := p.src[p.pos:]
	p.n++
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		p.pos += i + 1
		return rest[:i], true
	}
	p.pos = len(p.src)
	return rest, true
}

func (p *parser) errorf(line int, msg string, args ...any) *ParseError {
	if len(args) > 0 {
		msg = fmt.Sprintf(msg, args...)
	}
	return &ParseError{Line: line, Msg: msg}
}

// fileHeader collects what the extended header lines say before the paths
// and status are decided, because several lines name the same path.
type fileHeader struct {
	gitOld, gitNew      string // from the "diff --git" line
	minus, plus         string // from "---" / "+++"
	haveMinus, havePlus bool
	nullOld, nullNew    bool // /dev/null on one side
	from, to            string
	renamed, copied     bool
	created, deleted    bool
}

// file parses one file starting at its "diff --git" line and returns the
// first line after it. The file is appended even when an error cuts it short.
func (p *parser) file(gitLine string) (line string, ok bool, err error) {
	var f File
	var h fileHeader
	p.files = append(p.files, File{})
	idx := len(p.files) - 1
	defer func() {
		h.resolve(&f)
		p.files[idx] = f
	}()

	if old, new, ok := gitHeaderNames(trimCR(gitLine[len("diff --git "):])); ok {
		h.gitOld, h.gitNew = old, new
	}

	line, ok = p.next()
header:
	for ok {
		l := trimCR(line)
		switch {
		case strings.HasPrefix(l, "diff --git "):
			return line, ok, nil
		case strings.HasPrefix(l, "@@ "):
			break header
		case strings.HasPrefix(l, "--- "):
			name, null, err := patchName(l[4:], "a/")
			if err != nil {
				return "", false, p.errorf(p.n, "%v", err)
			}
			h.minus, h.nullOld, h.haveMinus = name, null, true
			line, ok = p.next()
			l = trimCR(line)
			if !ok || !strings.HasPrefix(l, "+++ ") {
				return "", false, p.errorf(p.n, `"---" line not followed by "+++"`)
			}
			name, null, err = patchName(l[4:], "b/")
			if err != nil {
				return "", false, p.errorf(p.n, "%v", err)
			}
			h.plus, h.nullNew, h.havePlus = name, null, true
			line, ok = p.next()
			break header
		case strings.HasPrefix(l, "old mode "):
			f.OldMode = l[len("old mode "):]
		case strings.HasPrefix(l, "new mode "):
			f.NewMode = l[len("new mode "):]
		case strings.HasPrefix(l, "new file mode "):
			f.NewMode = l[len("new file mode "):]
			h.created = true
		case strings.HasPrefix(l, "deleted file mode "):
			f.OldMode = l[len("deleted file mode "):]
			h.deleted = true
		case strings.HasPrefix(l, "rename from "), strings.HasPrefix(l, "copy from "),
			strings.HasPrefix(l, "rename old "):
			name, err := headerName(afterSecondSpace(l))
			if err != nil {
				return "", false, p.errorf(p.n, "%v", err)
			}
			h.from = name
			if l[0] == 'r' {
				h.renamed = true
			} else {
				h.copied = true
			}
		case strings.HasPrefix(l, "rename to "), strings.HasPrefix(l, "copy to "),
			strings.HasPrefix(l, "rename new "):
			name, err := headerName(afterSecondSpace(l))
			if err != nil {
				return "", false, p.errorf(p.n, "%v", err)
			}
			h.to = name
			if l[0] == 'r' {
				h.renamed = true
			} else {
				h.copied = true
			}
		case strings.HasPrefix(l, "similarity index "):
			f.Similarity = percent(l[len("similarity index "):])
		case strings.HasPrefix(l, "dissimilarity index "):
			f.Dissimilarity = percent(l[len("dissimilarity index "):])
		case strings.HasPrefix(l, "index "):
			f.OldHash, f.NewHash, f.Mode = indexLine(l[len("index "):])
		case strings.HasPrefix(l, "Binary files ") && strings.HasSuffix(l[len("Binary files "):], " differ"):
			f.Binary = true
			names := l[len("Binary files ") : len(l)-len(" differ")]
			h.nullOld = h.nullOld || strings.HasPrefix(names, "/dev/null and ")
			h.nullNew = h.nullNew || strings.HasSuffix(names, " and /dev/null")
		case l == "GIT binary patch":
			// Base85 data lines hold no spaces, so none of them can look
			// like "diff --git "; skip straight to the next file.
			f.Binary = true
			for line, ok = p.next(); ok; line, ok = p.next() {
				if strings.HasPrefix(line, "diff --git ") {
					break
				}
			}
			return line, ok, nil
		}
		// Anything else is an extended header this parser does not know
		// (a newer git's); ignoring it keeps the hunks that follow.
		line, ok = p.next()
	}

	for ok && strings.HasPrefix(line, "@@ ") {
		line, ok, err = p.hunk(&f, line)
		if err != nil {
			return "", false, err
		}
	}
	// Whatever follows the last hunk up to the next "diff --git" is not ours
	// (a format-patch signature, another commit's header); Parse skips it.
	return line, ok, nil
}

// hunk reads one hunk: exactly as many body lines as its header counts, so
// content such as "-- foo" or "diff --git" is never taken for a header.
func (p *parser) hunk(f *File, header string) (line string, ok bool, err error) {
	headerNo := p.n
	h, valid := hunkHeader(header)
	if !valid {
		return "", false, p.errorf(headerNo, "malformed hunk header %q", clip(header))
	}
	oldLeft, newLeft := h.OldLines, h.NewLines
	oldNo, newNo := h.OldStart, h.NewStart
	// Each body line takes at least one byte, so the remaining input bounds
	// the preallocation however large the counts claim to be.
	if c := min(oldLeft+newLeft, len(p.src)-p.pos+1); c > 0 {
		h.Lines = make([]Line, 0, c)
	}
	defer func() { f.Hunks = append(f.Hunks, h) }()

	for oldLeft > 0 || newLeft > 0 {
		line, ok = p.next()
		if !ok {
			return "", false, p.errorf(p.n+1, "patch ends inside the hunk at line %d: %d old and %d new lines missing",
				headerNo, oldLeft, newLeft)
		}
		kind := LineContext
		text := line
		if len(line) > 0 {
			switch line[0] {
			case ' ':
			case '-':
				kind = LineDeleted
			case '+':
				kind = LineAdded
			case '\\':
				kind = LineNoNewline
			default:
				return "", false, p.errorf(p.n, "unexpected line in hunk: %q", clip(line))
			}
			text = line[1:]
		}
		l := Line{Kind: kind, Text: text}
		switch kind {
		case LineContext:
			if oldLeft == 0 || newLeft == 0 {
				return "", false, p.errorf(p.n, "context line beyond the hunk's counts")
			}
			l.OldNo, l.NewNo = oldNo, newNo
			oldNo++
			newNo++
			oldLeft--
			newLeft--
		case LineDeleted:
			if oldLeft == 0 {
				return "", false, p.errorf(p.n, "deleted line beyond the hunk's old count")
			}
			l.OldNo = oldNo
			oldNo++
			oldLeft--
		case LineAdded:
			if newLeft == 0 {
				return "", false, p.errorf(p.n, "added line beyond the hunk's new count")
			}
			l.NewNo = newNo
			newNo++
			newLeft--
		case LineNoNewline:
			l.Text = strings.TrimPrefix(text, " ")
		}
		h.Lines = append(h.Lines, l)
	}
	// The marker for the hunk's last line comes after the counts run out.
	line, ok = p.next()
	for ok && len(line) > 0 && line[0] == '\\' {
		h.Lines = append(h.Lines, Line{Kind: LineNoNewline, Text: strings.TrimPrefix(line[1:], " ")})
		line, ok = p.next()
	}
	return line, ok, nil
}

// hunkHeader parses "@@ -a[,b] +c[,d] @@[ section]"; an omitted count is 1.
func hunkHeader(s string) (Hunk, bool) {
	var h Hunk
	i := len("@@ ")
	if i >= len(s) || s[i] != '-' {
		return h, false
	}
	var ok bool
	if h.OldStart, h.OldLines, i, ok = hunkRange(s, i+1); !ok {
		return h, false
	}
	if !strings.HasPrefix(s[i:], " +") {
		return h, false
	}
	if h.NewStart, h.NewLines, i, ok = hunkRange(s, i+2); !ok {
		return h, false
	}
	if !strings.HasPrefix(s[i:], " @@") {
		return h, false
	}
	// Lines are 1-based: a start of 0 only says "before line 1" of an empty range.
	if (h.OldStart == 0 && h.OldLines > 0) || (h.NewStart == 0 && h.NewLines > 0) {
		return h, false
	}
	rest := s[i+len(" @@"):]
	if rest != "" && rest[0] != ' ' && rest != "\r" {
		return h, false
	}
	h.Section = trimCR(strings.TrimPrefix(rest, " "))
	return h, true
}

// hunkRange parses "start[,count]" at s[i:].
func hunkRange(s string, i int) (start, count, j int, ok bool) {
	if start, i, ok = number(s, i); !ok {
		return
	}
	count = 1
	if i < len(s) && s[i] == ',' {
		if count, i, ok = number(s, i+1); !ok {
			return
		}
	}
	return start, count, i, true
}

func number(s string, i int) (n, j int, ok bool) {
	j = i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		n = n*10 + int(s[j]-'0')
		if n > maxNumber {
			return 0, j, false
		}
		j++
	}
	return n, j, j > i
}

// resolve decides the file's paths and status. The ---/+++ and rename/copy
// lines name a path unambiguously; the "diff --git" line is the fallback.
func (h *fileHeader) resolve(f *File) {
	f.OldPath, f.NewPath = h.gitOld, h.gitNew
	if h.haveMinus && !h.nullOld {
		f.OldPath = h.minus
	}
	if h.havePlus && !h.nullNew {
		f.NewPath = h.plus
	}
	if h.from != "" {
		f.OldPath = h.from
	}
	if h.to != "" {
		f.NewPath = h.to
	}
	switch {
	case h.created || h.nullOld:
		f.Status = StatusAdded
		f.OldPath = ""
	case h.deleted || h.nullNew:
		f.Status = StatusDeleted
		f.NewPath = ""
	case h.renamed:
		f.Status = StatusRenamed
	case h.copied:
		f.Status = StatusCopied
	default:
		f.Status = StatusModified
	}
}

// gitHeaderNames splits the "a/X b/Y" of a "diff --git" line. Unquoted names
// may hold spaces; git only leaves them ambiguous when X == Y, so the line
// is split into two equal halves when it can be.
func gitHeaderNames(s string) (old, new string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		old, rest, err := unquote(s)
		if err != nil || !strings.HasPrefix(rest, " ") {
			return "", "", false
		}
		if new, ok = secondName(rest[1:]); !ok {
			return "", "", false
		}
		return trimPrefix(old, "a/"), trimPrefix(new, "b/"), true
	}
	// A name holding '"' is quoted, so an unquoted first name ends at ` "`.
	if i := strings.Index(s, ` "`); i >= 0 {
		if new, ok = secondName(s[i+1:]); ok {
			return trimPrefix(s[:i], "a/"), trimPrefix(new, "b/"), true
		}
	}
	if (len(s)-5)%2 == 0 && len(s) >= 5 && strings.HasPrefix(s, "a/") {
		n := (len(s) - 5) / 2
		if s[2+n:5+n] == " b/" && s[2:2+n] == s[5+n:] {
			return s[2 : 2+n], s[5+n:], true
		}
	}
	if i := strings.Index(s, " b/"); i >= 0 {
		return trimPrefix(s[:i], "a/"), s[i+3:], true
	}
	// Some other prefix: two equal halves, else the first space.
	if len(s)%2 == 1 {
		n := len(s) / 2
		if s[n] == ' ' && s[:n] == s[n+1:] {
			return s[:n], s[n+1:], true
		}
	}
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return "", "", false
}

func secondName(s string) (string, bool) {
	if !strings.HasPrefix(s, `"`) {
		return s, s != ""
	}
	name, rest, err := unquote(s)
	return name, err == nil && rest == ""
}

// patchName reads the name of a "---" or "+++" line. Git ends an unquoted
// name holding a space with a tab, and other diffs put a timestamp there.
func patchName(s, prefix string) (name string, null bool, err error) {
	if strings.HasPrefix(s, `"`) {
		name, _, err = unquote(s)
		return trimPrefix(name, prefix), false, err
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	if s == "/dev/null" {
		return "", true, nil
	}
	return trimPrefix(s, prefix), false, nil
}

// headerName reads the name of a rename/copy line: no prefix, maybe quoted.
func headerName(s string) (string, error) {
	if strings.HasPrefix(s, `"`) {
		name, _, err := unquote(s)
		return name, err
	}
	return s, nil
}

// indexLine reads "abc..def[ mode]".
func indexLine(s string) (oldHash, newHash, mode string) {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		s, mode = s[:i], s[i+1:]
	}
	if i := strings.Index(s, ".."); i >= 0 {
		return s[:i], s[i+2:], mode
	}
	return "", "", mode
}

func percent(s string) int {
	n, j, ok := number(s, 0)
	if !ok || j != len(s)-1 || s[j] != '%' {
		return 0
	}
	return n
}

// unquote undoes git's C-style quoting (quote_c_style) of the quoted string
// that starts s, returning the real bytes and what follows the closing quote.
func unquote(s string) (name, rest string, err error) {
	var b []byte
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			return string(b), s[i+1:], nil
		case '\\':
			i++
			if i >= len(s) {
				return "", "", errString("unterminated quoted name")
			}
			switch e := s[i]; e {
			case 'a':
				c = '\a'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'v':
				c = '\v'
			case '"', '\\':
				c = e
			case '0', '1', '2', '3':
				if i+2 >= len(s) || !isOctal(s[i+1]) || !isOctal(s[i+2]) {
					return "", "", errString("bad octal escape in quoted name")
				}
				c = (e-'0')<<6 | (s[i+1]-'0')<<3 | (s[i+2] - '0')
				i += 2
			default:
				return "", "", errString("bad escape in quoted name")
			}
		}
		b = append(b, c)
	}
	return "", "", errString("unterminated quoted name")
}

// afterSecondSpace returns X of "rename from X" and its kin.
func afterSecondSpace(l string) string {
	i := strings.IndexByte(l, ' ')
	j := strings.IndexByte(l[i+1:], ' ')
	return l[i+1+j+1:]
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

type errString string

func (e errString) Error() string { return string(e) }

func trimPrefix(s, prefix string) string { return strings.TrimPrefix(s, prefix) }

// trimCR drops the '\r' of a header line from a patch with CRLF endings; a
// real name ending in '\r' would be quoted, so nothing is lost.
func trimCR(s string) string { return strings.TrimSuffix(s, "\r") }

// clip keeps error messages short when a line is huge.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
