package syntax

// Construct is one import or call of a file, as two versions are compared.
type Construct struct {
	Kind    string // "import" or "call"
	Key     string
	Line    int
	EndLine int
	Call    *Call   // for a call
	Import  *Import // for an import
}

// Constructs lists the file's imports and calls.
func (f *File) Constructs() []Construct {
	if f == nil {
		return nil
	}
	out := make([]Construct, 0, len(f.Imports)+len(f.Calls))
	for i := range f.Imports {
		im := &f.Imports[i]
		out = append(out, Construct{Kind: "import", Key: "import " + im.Module + ":" + im.Name + ":" + im.Local, Line: im.Line, EndLine: im.Line, Import: im})
	}
	for i := range f.Calls {
		c := &f.Calls[i]
		out = append(out, Construct{Kind: "call", Key: c.Key(), Line: c.Line, EndLine: c.EndLine, Call: c})
	}
	return out
}

// Changes compares two versions of a file by construct: added are the
// after file's constructs that it holds more of than before did and that
// touch an added line; removed are the before file's that it held more of
// than after does and that touch a removed line. So a construct moved
// within the file, or reformatted, is neither; a second identical use is
// one added construct; a changed argument is one added and one removed.
// A nil side holds nothing (an added or deleted file).
func Changes(before, after *File, addedLines, removedLines map[int]bool) (added, removed []Construct) {
	b, a := before.Constructs(), after.Constructs()
	return excess(a, b, addedLines), excess(b, a, removedLines)
}

func excess(side, other []Construct, changed map[int]bool) []Construct {
	count := map[string]int{}
	for _, c := range side {
		count[c.Key]++
	}
	for _, c := range other {
		count[c.Key]--
	}
	var out []Construct
	for _, c := range side {
		if count[c.Key] <= 0 || !touches(c.Line, c.EndLine, changed) {
			continue
		}
		count[c.Key]--
		out = append(out, c)
	}
	return out
}

func touches(from, to int, changed map[int]bool) bool {
	for n := from; n <= to; n++ {
		if changed[n] {
			return true
		}
	}
	return false
}
