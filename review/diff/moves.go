package diff

import (
	"strings"
	"unicode"
)

// LineRef names one line of a parsed diff: file, hunk and line indexes.
type LineRef struct{ File, Hunk, Line int }

// minMovedAlnum is how much text a run of moved lines must carry to count,
// as git's --color-moved does (20 alphanumeric characters): a lone "}" or
// "return nil" that happens to be deleted here and added there is no move.
const minMovedAlnum = 20

// Moves pairs deleted lines with added lines of the same text (ignoring
// indentation and trailing spaces) elsewhere in the diff, in either
// direction, the way `git diff --color-moved` sees code that was moved
// rather than rewritten. Each deleted line maps to the added line it went to
// and each added line to the deleted line it came from. Only runs of
// consecutive paired lines carrying at least minMovedAlnum alphanumeric
// characters are kept.
func Moves(files []File) map[LineRef]LineRef {
	added := map[string][]LineRef{}
	for fi, f := range files {
		for hi, h := range f.Hunks {
			for li, l := range h.Lines {
				if l.Kind == LineAdded {
					if k := moveKey(l.Text); k != "" {
						added[k] = append(added[k], LineRef{fi, hi, li})
					}
				}
			}
		}
	}
	if len(added) == 0 {
		return nil
	}
	pairs := map[LineRef]LineRef{}
	used := map[LineRef]bool{}
	for fi, f := range files {
		for hi, h := range f.Hunks {
			for li, l := range h.Lines {
				if l.Kind != LineDeleted {
					continue
				}
				k := moveKey(l.Text)
				for _, to := range added[k] {
					if !used[to] {
						used[to] = true
						from := LineRef{fi, hi, li}
						pairs[from], pairs[to] = to, from
						break
					}
				}
			}
		}
	}
	// Keep only runs that carry enough text.
	out := map[LineRef]LineRef{}
	for fi, f := range files {
		for hi, h := range f.Hunks {
			start, alnum := -1, 0
			flush := func(end int) {
				if start >= 0 && alnum >= minMovedAlnum {
					for li := start; li < end; li++ {
						ref := LineRef{fi, hi, li}
						out[ref] = pairs[ref]
					}
				}
				start, alnum = -1, 0
			}
			for li, l := range h.Lines {
				if _, ok := pairs[LineRef{fi, hi, li}]; ok {
					if start < 0 {
						start = li
					}
					alnum += countAlnum(l.Text)
					continue
				}
				flush(li)
			}
			flush(len(h.Lines))
		}
	}
	// A line is moved only if its partner is too.
	for ref, to := range out {
		if _, ok := out[to]; !ok {
			delete(out, ref)
		}
	}
	return out
}

func moveKey(text string) string {
	t := strings.TrimSpace(text)
	if countAlnum(t) == 0 {
		return ""
	}
	return t
}

func countAlnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}
