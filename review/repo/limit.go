package repo

import (
	"bytes"
	"fmt"
	"strconv"
)

// Limits bound how much of one commit's diff is held in memory. A hostile
// commit (a 50 MB generated file, a 50 MB line) is cut to what a reviewer
// can read; its patch id is still that of the whole diff.
type Limits struct {
	FileBytes int64 // the most of one file's hunks kept; 0: no limit
	LineBytes int   // the most of one line kept; 0: no limit
}

// Diff is one commit's patch as read through the diff stream.
type Diff struct {
	Patch   []byte   // the patch, each file's hunks cut at the limits
	PatchID string   // `git patch-id --stable` of the whole patch, cut or not
	Cut     []string // files whose diff was cut, named as in their "diff --git a/… b/…" line
}

// LimitPatch cuts a patch made elsewhere (a remerge diff) at lim, as the
// diff stream does.
func LimitPatch(patch []byte, lim Limits) ([]byte, []string) {
	b := diffBuilder{lim: lim}
	for rest := patch; len(rest) > 0; {
		var line []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			line, rest = rest, nil
		}
		cut := false
		if lim.LineBytes > 0 && len(line) > lim.LineBytes {
			line, cut = append(line[:lim.LineBytes:lim.LineBytes], '\n'), true
		}
		b.add(line, cut)
	}
	return b.out, b.cut
}

// diffBuilder keeps a patch line by line within Limits, so that what it
// keeps is still a well-formed patch: a hunk cut short gets a header that
// counts the lines kept, and the file's later hunks are left out.
type diffBuilder struct {
	lim       Limits
	out       []byte
	cut       []string
	file      string // the current file's "diff --git" line, without the prefix
	fileBytes int64
	fileCut   bool // the rest of the current file is left out
	// The current hunk: where its header is in out, what it says, and how
	// many of its lines are still to come and have been kept.
	hdrStart, hdrEnd int
	oldStart         int
	newStart         int
	section          []byte
	remOld, remNew   int
	keptOld, keptNew int
}

func (d *diffBuilder) add(line []byte, lineCut bool) {
	switch {
	case bytes.HasPrefix(line, []byte("diff --git ")):
		d.file = string(bytes.TrimSuffix(line[len("diff --git "):], []byte("\n")))
		d.fileBytes, d.fileCut, d.remOld, d.remNew = 0, false, 0, 0
		d.out = append(d.out, line...)
		return
	case d.fileCut:
		return
	case d.remOld > 0 || d.remNew > 0:
		if len(line) > 0 && (line[0] == ' ' || line[0] == '-' || line[0] == '+') {
			if d.lim.FileBytes > 0 && d.fileBytes+int64(len(line)) > d.lim.FileBytes {
				d.cutFile()
				return
			}
			switch line[0] {
			case ' ':
				d.remOld, d.remNew, d.keptOld, d.keptNew = d.remOld-1, d.remNew-1, d.keptOld+1, d.keptNew+1
			case '-':
				d.remOld, d.keptOld = d.remOld-1, d.keptOld+1
			case '+':
				d.remNew, d.keptNew = d.remNew-1, d.keptNew+1
			}
		}
	case bytes.HasPrefix(line, []byte("@@ ")):
		if h, ok := parseHunkHeader(line); ok {
			d.hdrStart = len(d.out)
			d.out = append(d.out, line...)
			d.hdrEnd = len(d.out)
			d.oldStart, d.newStart, d.section = h.oldStart, h.newStart, append(d.section[:0], h.section...)
			d.remOld, d.remNew, d.keptOld, d.keptNew = h.oldLines, h.newLines, 0, 0
			return
		}
	}
	if lineCut {
		d.markCut()
	}
	d.fileBytes += int64(len(line))
	d.out = append(d.out, line...)
}

// cutFile ends the current file at the hunk in progress.
func (d *diffBuilder) cutFile() {
	body := append([]byte(nil), d.out[d.hdrEnd:]...)
	d.out = d.out[:d.hdrStart]
	if d.keptOld > 0 || d.keptNew > 0 {
		d.out = fmt.Appendf(d.out, "@@ -%d,%d +%d,%d @@%s", d.oldStart, d.keptOld, d.newStart, d.keptNew, d.section)
		d.out = append(d.out, body...)
	}
	d.fileCut, d.remOld, d.remNew = true, 0, 0
	d.markCut()
}

func (d *diffBuilder) markCut() {
	if len(d.cut) == 0 || d.cut[len(d.cut)-1] != d.file {
		d.cut = append(d.cut, d.file)
	}
}

type hunkHeader struct {
	oldStart, oldLines, newStart, newLines int
	section                                []byte // from " @@" on, newline included
}

// parseHunkHeader reads "@@ -a[,b] +c[,d] @@…"; an omitted count is 1.
func parseHunkHeader(line []byte) (hunkHeader, bool) {
	var h hunkHeader
	rest := line[len("@@ "):]
	var ok bool
	if rest, ok = bytes.CutPrefix(rest, []byte("-")); !ok {
		return h, false
	}
	if h.oldStart, h.oldLines, rest, ok = hunkRange(rest); !ok {
		return h, false
	}
	if rest, ok = bytes.CutPrefix(rest, []byte(" +")); !ok {
		return h, false
	}
	if h.newStart, h.newLines, rest, ok = hunkRange(rest); !ok {
		return h, false
	}
	if !bytes.HasPrefix(rest, []byte(" @@")) {
		return h, false
	}
	h.section = rest[len(" @@"):]
	return h, true
}

func hunkRange(b []byte) (start, count int, rest []byte, ok bool) {
	n := digits(b)
	if n == 0 || n > 9 {
		return 0, 0, nil, false
	}
	start, _ = strconv.Atoi(string(b[:n]))
	b, count = b[n:], 1
	if after, found := bytes.CutPrefix(b, []byte(",")); found {
		m := digits(after)
		if m == 0 || m > 9 {
			return 0, 0, nil, false
		}
		count, _ = strconv.Atoi(string(after[:m]))
		b = after[m:]
	}
	return start, count, b, true
}
