package lang

import (
	"regexp"
	"sync"
)

// lazyRE is a regular expression compiled on first use: the rule tables hold
// a few hundred patterns, and compiling them at package init made every
// vouch command, `vouch version` included, start four times slower.
type lazyRE struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func re(src string) *lazyRE { return &lazyRE{src: src} }

func (l *lazyRE) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

func (l *lazyRE) String() string                 { return l.src }
func (l *lazyRE) MatchString(s string) bool      { return l.get().MatchString(s) }
func (l *lazyRE) SubexpIndex(name string) int    { return l.get().SubexpIndex(name) }
func (l *lazyRE) FindStringIndex(s string) []int { return l.get().FindStringIndex(s) }
func (l *lazyRE) FindStringSubmatch(s string) []string {
	return l.get().FindStringSubmatch(s)
}
func (l *lazyRE) FindStringSubmatchIndex(s string) []int {
	return l.get().FindStringSubmatchIndex(s)
}
func (l *lazyRE) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.get().FindAllStringSubmatchIndex(s, n)
}
func (l *lazyRE) FindAllStringIndex(s string, n int) [][]int {
	return l.get().FindAllStringIndex(s, n)
}
func (l *lazyRE) FindAllString(s string, n int) []string { return l.get().FindAllString(s, n) }
func (l *lazyRE) FindAllStringSubmatch(s string, n int) [][]string {
	return l.get().FindAllStringSubmatch(s, n)
}
func (l *lazyRE) FindString(s string) string          { return l.get().FindString(s) }
func (l *lazyRE) ReplaceAllString(s, r string) string { return l.get().ReplaceAllString(s, r) }
