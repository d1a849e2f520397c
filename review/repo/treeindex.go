package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
)

// maxSearchedBlob is the largest blob the tree index reads to search; a tree
// holding a larger one not searched before is left to `git grep`, so memory
// stays bounded and the answer the same.
const maxSearchedBlob = 16 << 20

// binaryProbe is how much of a file git grep -I looks at for a NUL byte
// (FIRST_FEW_BYTES in git's xdiff-interface.c).
const binaryProbe = 8000

// errLeaveToGit sends a question the index cannot answer exactly to git grep.
var errLeaveToGit = errors.New("left to git grep")

// treeIndex remembers which queries each tree and blob already searched
// holds, by object id. A tree that did not change since the last commit
// looked at is answered from memory, a changed one by reading only what
// changed in it: a scan pays for each version of a file once, however
// many commits' parent trees hold it.
type treeIndex struct {
	mu    sync.Mutex
	trees map[string]map[string]bool // tree id -> query key -> held
	blobs map[string]map[string]bool // blob id -> query key -> held
	res   map[string]compiled        // a pattern -> its compiled form
	hints map[string]string          // query key -> the path of the file it was last found in
	nul   map[string]bool            // blob id -> a NUL in its first 8,000 bytes
	attrs map[string]attrBinary      // path -> what its diff attribute makes it for git grep -I

	cfgOnce sync.Once
	cfg     Config
	attr    stream // git check-attr --stdin, for the paths met
}

// attrBinary is how git grep -I treats a path by its diff attribute:
// binary (-diff, or a driver with diff.NAME.binary true), text (diff, or a
// driver with binary false) or judged by its first bytes.
type attrBinary int8

const (
	attrAuto attrBinary = iota
	attrBinaryFile
	attrText
)

// query is one literal or pattern of a TreeHolds question.
type query struct {
	key string // "F" literal or "E" pattern, so the two never share an entry
	lit []byte
	re  *regexp.Regexp
	// need are strings every match of re holds, one at least; only the
	// lines holding one are matched (nil: every line may match).
	need [][]byte
}

// compiled is a pattern read for the index: re is nil when Go's syntax
// differs from git's.
type compiled struct {
	re   *regexp.Regexp
	need [][]byte
}

// TreeHolds is Repo.TreeHolds answered in process from the cat-file
// stream: the same answers as `git grep -I -F` for each literal and
// `git grep -I -E` for each pattern on commit's tree (a regular file holds
// a match on one of its lines; a file with a NUL in its first 8,000 bytes
// is binary and skipped; symbolic links and submodules are not searched),
// without a process per question. Questions it cannot answer exactly (a
// pattern Go reads differently, a file above 16 MiB not searched before, a
// git without --batch-command) go to Repo.TreeHolds.
func (rd *Reader) TreeHolds(commit string, literals, patterns []string) (map[string]bool, error) {
	if strings.HasPrefix(commit, "-") || commit == "" || strings.ContainsAny(commit, "\n\x00 ") {
		return nil, fmt.Errorf("commit %q is not a revision", commit)
	}
	out := make(map[string]bool, len(literals)+len(patterns))
	var qs []query
	for _, l := range literals {
		if l == "" || strings.ContainsAny(l, "\n\x00") {
			continue
		}
		out[l] = false
		qs = append(qs, query{key: "F" + l, lit: []byte(l)})
	}
	for _, p := range patterns {
		c := rd.index.compile(p)
		if c.re == nil {
			return rd.repo.TreeHolds(commit, literals, patterns)
		}
		out[p] = false
		qs = append(qs, query{key: "E" + p, re: c.re, need: c.need})
	}
	if len(qs) == 0 {
		return out, nil
	}
	held, qs, err := rd.byHints(commit, qs)
	if err == nil && len(qs) > 0 {
		var found map[string]bool
		found, err = rd.searchRoot(commit, qs)
		for k := range found {
			held[k] = true
		}
	}
	if err != nil {
		if rd.ctx.Err() != nil {
			return nil, err
		}
		return rd.repo.TreeHolds(commit, literals, patterns)
	}
	for k := range held {
		out[k[1:]] = true
	}
	return out, nil
}

// byHints answers the queries whose last match in a searched tree is
// still there: the file at that path in commit is a regular file whose
// blob is known to hold it. The directories holding the hinted files are
// read in one round trip. It returns what it found and the queries left
// to search.
func (rd *Reader) byHints(commit string, qs []query) (map[string]bool, []query, error) {
	held := map[string]bool{}
	ix := rd.index
	var dirs []string
	at := map[string]int{} // directory -> its index in dirs
	type hinted struct {
		q         query
		dir, name string
	}
	var hs []hinted
	ix.mu.Lock()
	for _, q := range qs {
		p, ok := ix.hints[q.key]
		if !ok {
			continue
		}
		dir, name := "", p
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			dir, name = p[:i], p[i+1:]
		}
		if _, ok := at[dir]; !ok {
			at[dir] = len(dirs)
			dirs = append(dirs, dir)
		}
		hs = append(hs, hinted{q, dir, name})
	}
	ix.mu.Unlock()
	if len(hs) == 0 {
		return held, qs, nil
	}
	names := make([]string, len(dirs))
	for i, d := range dirs {
		names[i] = commit + ":" + d
	}
	trees, err := rd.treesAt(names)
	if err != nil {
		return nil, nil, err
	}
	for _, h := range hs {
		for _, e := range trees[at[h.dir]] {
			if !e.tree && e.name == h.name {
				ix.mu.Lock()
				_, attrKnown := ix.attrs[joinPath(h.dir, h.name)]
				ix.mu.Unlock()
				if attrKnown {
					ix.blobKnown(e.id, joinPath(h.dir, h.name), []query{h.q}, held)
				}
			}
		}
	}
	return held, without(qs, held), nil
}

// joinPath is the path of name in directory dir ("" the root).
func joinPath(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// treesAt reads the tree each name (REV:PATH) names; a name that is
// missing or not a tree gets no entries.
func (rd *Reader) treesAt(names []string) ([][]searchEntry, error) {
	if err := rd.ctx.Err(); err != nil {
		return nil, err
	}
	s := &rd.cat
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return nil, errLeaveToGit
	}
	if s.cmd == nil {
		if err := s.start(rd.ctx, rd.repo.dir, "cat-file", "--batch-command"); err != nil {
			s.broken = err
			return nil, errLeaveToGit
		}
	}
	out := make([][]searchEntry, 0, len(names))
	err := rd.exchange(s, "contents", names, func(string) error {
		header, err := s.out.ReadString('\n')
		if err != nil {
			return err
		}
		typ, size, ok := parseHeader(header)
		if !ok {
			out = append(out, nil)
			return nil
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(s.out, data); err != nil {
			return err
		}
		var entries []searchEntry
		if f := strings.Fields(header); typ == "tree" && len(f) == 3 {
			entries, _ = parseSearchTree(data[:size], len(f[0])/2)
		}
		out = append(out, entries)
		return nil
	})
	if err != nil {
		return nil, s.fail(rd.ctx, rd.repo.dir, "cat-file", err)
	}
	return out, nil
}

// compile reads a git grep -E pattern as a Go regular expression matched
// against a whole file: (?m) makes ^ and $ line anchors, and a match that
// spans a newline is checked line by line (see holds). Patterns with POSIX
// features Go reads otherwise (bracket expressions with backslashes or
// collating elements, back-references, empty alternatives) get nil.
func (ix *treeIndex) compile(p string) compiled {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if c, ok := ix.res[p]; ok {
		return c
	}
	var c compiled
	if posixSafe(p) {
		c.re, _ = regexp.Compile("(?m)" + p)
		if tree, err := syntax.Parse("(?m)"+p, syntax.Perl); err == nil && c.re != nil {
			for _, n := range requiredLiterals(tree.Simplify()) {
				c.need = append(c.need, []byte(n))
			}
		}
	}
	if ix.res == nil {
		ix.res = map[string]compiled{}
	}
	ix.res[p] = c
	return c
}

// requiredLiterals are strings one of which every match of re contains,
// none with a newline; nil when there are none to go by.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
			return nil
		}
		s := string(re.Rune)
		if strings.ContainsRune(s, '\n') {
			return nil
		}
		return []string{s}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			lits := requiredLiterals(sub)
			if lits == nil {
				return nil
			}
			out = append(out, lits...)
		}
		return out
	case syntax.OpConcat:
		// Each child, and each run of literal children taken as one
		// string, is a candidate; the one whose shortest string is
		// longest sifts the most lines.
		var best []string
		score := func(lits []string) int {
			m := -1
			for _, l := range lits {
				if m < 0 || len(l) < m {
					m = len(l)
				}
			}
			return m
		}
		consider := func(lits []string) {
			if lits != nil && score(lits) > score(best) {
				best = lits
			}
		}
		run := ""
		for _, sub := range re.Sub {
			if sub.Op == syntax.OpLiteral && sub.Flags&syntax.FoldCase == 0 && !strings.ContainsRune(string(sub.Rune), '\n') {
				run += string(sub.Rune)
				continue
			}
			if run != "" {
				consider([]string{run})
				run = ""
			}
			consider(requiredLiterals(sub))
		}
		if run != "" {
			consider([]string{run})
		}
		return best
	}
	return nil
}

// posixSafe reports whether an extended regular expression means the same
// to glibc's regcomp and to Go: no bracket expression holds a backslash or
// a [. [= construct (a backslash is literal there in POSIX, an escape in
// Go), no back-reference, no Perl-only group syntax, no empty alternative.
func posixSafe(p string) bool {
	inBracket := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case inBracket:
			if c == '\\' || (c == '[' && i+1 < len(p) && (p[i+1] == '.' || p[i+1] == '=')) {
				return false
			}
			if c == '[' && i+1 < len(p) && p[i+1] == ':' {
				if j := strings.Index(p[i+2:], ":]"); j >= 0 {
					i += j + 3
					continue
				}
				return false
			}
			if c == ']' {
				inBracket = false
			}
		case c == '\\':
			if i+1 >= len(p) {
				return false
			}
			n := p[i+1]
			if n >= '0' && n <= '9' || strings.IndexByte("AzZpPQEx", n) >= 0 {
				return false
			}
			i++
		case c == '[':
			inBracket = true
			// A ']' first (after an optional '^') is a literal member.
			if i+1 < len(p) && p[i+1] == '^' {
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				i++
			}
		case c == '(' && i+1 < len(p) && (p[i+1] == '?' || p[i+1] == ')' || p[i+1] == '|'):
			return false
		case c == '|' && (i == 0 || i+1 == len(p) || p[i+1] == '|' || p[i+1] == ')'):
			return false
		case c == '{':
			// Go takes "{" that is not a valid repeat literally; POSIX
			// refuses it or differs: leave any brace to git.
			return false
		}
	}
	return !inBracket
}

// searchRoot is searchTree on commit's tree, read with its id in one
// round trip.
func (rd *Reader) searchRoot(commit string, qs []query) (map[string]bool, error) {
	var id string
	var entries []searchEntry
	err := rd.contents([]string{commit + "^{tree}"}, func(header string, data []byte) error {
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "tree" {
			return fmt.Errorf("%s has no tree", commit)
		}
		id = f[0]
		var err error
		entries, err = parseSearchTree(data, len(id)/2)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rd.searchEntries(id, "", entries, qs)
}

// contents reads objects whole through the cat-file stream, for trees and
// commits, which are small; each is handed to fn with its header.
func (rd *Reader) contents(names []string, fn func(header string, data []byte) error) error {
	if err := rd.ctx.Err(); err != nil {
		return err
	}
	s := &rd.cat
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return errLeaveToGit
	}
	if s.cmd == nil {
		if err := s.start(rd.ctx, rd.repo.dir, "cat-file", "--batch-command"); err != nil {
			s.broken = err
			return errLeaveToGit
		}
	}
	var fnErr error
	err := rd.exchange(s, "contents", names, func(name string) error {
		header, err := s.out.ReadString('\n')
		if err != nil {
			return err
		}
		_, size, ok := parseHeader(header)
		if !ok {
			if fnErr == nil {
				fnErr = fmt.Errorf("object %s is missing", name)
			}
			return nil
		}
		data := make([]byte, size+1)
		if _, err := io.ReadFull(s.out, data); err != nil {
			return err
		}
		if fnErr == nil {
			fnErr = fn(header, data[:size])
		}
		return nil
	})
	if err != nil {
		return s.fail(rd.ctx, rd.repo.dir, "cat-file", err)
	}
	return fnErr
}

// searchEntry is one entry of a tree object that git grep searches: a
// regular file or a directory.
type searchEntry struct {
	id, name string
	tree     bool
}

// parseSearchTree reads a tree object ("MODE NAME\0" and the raw id, hashLen
// bytes, per entry), keeping what git grep searches: regular files and
// directories, not symbolic links or submodules.
func parseSearchTree(data []byte, hashLen int) ([]searchEntry, error) {
	var out []searchEntry
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp <= 0 || nul < sp || len(data) < nul+1+hashLen {
			return nil, errors.New("malformed tree object")
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, errors.New("malformed tree object")
		}
		id := fmt.Sprintf("%x", data[nul+1:nul+1+hashLen])
		name := string(data[sp+1 : nul])
		data = data[nul+1+hashLen:]
		switch mode & 0o170000 {
		case 0o040000:
			out = append(out, searchEntry{id: id, name: name, tree: true})
		case 0o100000:
			out = append(out, searchEntry{id: id, name: name})
		}
	}
	return out, nil
}

// searchTree answers qs for one tree, at path prefix: what it holds, by
// query key.
func (rd *Reader) searchTree(id, prefix string, qs []query) (map[string]bool, error) {
	found := map[string]bool{}
	if rem := rd.index.known(true, prefix+"\x00"+id, qs, found); len(rem) == 0 {
		return found, nil
	}
	var entries []searchEntry
	err := rd.contents([]string{id}, func(header string, data []byte) error {
		if f := strings.Fields(header); len(f) != 3 || f[1] != "tree" {
			return fmt.Errorf("object %s is not a tree", id)
		}
		var err error
		entries, err = parseSearchTree(data, len(id)/2)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rd.searchEntries(id, prefix, entries, qs)
}

// searchEntries answers qs for tree id, whose entries are read. Cached
// blobs are looked at first; a query found stops being searched for, and
// where it was found is kept as its hint; a tree is remembered as not
// holding a query only once wholly searched.
func (rd *Reader) searchEntries(id, prefix string, entries []searchEntry, qs []query) (map[string]bool, error) {
	ix := rd.index
	found := map[string]bool{}
	rem := ix.known(true, prefix+"\x00"+id, qs, found)
	if len(rem) == 0 {
		return found, nil
	}
	var paths []string
	for _, e := range entries {
		if !e.tree {
			paths = append(paths, prefix+e.name)
		}
	}
	if err := rd.learnAttrs(paths); err != nil {
		return nil, err
	}
	var pending []searchEntry
	for _, e := range entries {
		if !e.tree && len(rem) > 0 {
			before := len(found)
			if r := ix.blobKnown(e.id, prefix+e.name, rem, found); len(r) > 0 {
				pending = append(pending, e)
			}
			if len(found) > before {
				ix.hint(prefix+e.name, rem, found)
			}
			rem = without(rem, found)
		}
	}
	for len(pending) > 0 && len(rem) > 0 {
		batch := pending[:min(len(pending), 64)]
		pending = pending[len(batch):]
		ids := make([]string, len(batch))
		for i, e := range batch {
			ids[i] = e.id
		}
		objs, err := rd.Objects(ids, maxSearchedBlob)
		if err != nil {
			return nil, err
		}
		for _, e := range batch {
			if len(rem) == 0 {
				break
			}
			o := objs[e.id]
			if o.Size < 0 {
				return nil, fmt.Errorf("blob %s is missing", e.id)
			}
			if o.Content == nil && o.Size > 0 {
				return nil, errLeaveToGit
			}
			before := len(found)
			ix.searchBlob(e.id, prefix+e.name, o.Content, ix.blobKnown(e.id, prefix+e.name, rem, found), found)
			if len(found) > before {
				ix.hint(prefix+e.name, rem, found)
			}
			rem = without(rem, found)
		}
	}
	for _, e := range entries {
		if e.tree && len(rem) > 0 {
			sub, err := rd.searchTree(e.id, prefix+e.name+"/", rem)
			if err != nil {
				return nil, err
			}
			for k := range sub {
				found[k] = true
			}
			rem = without(rem, found)
		}
	}
	ix.remember(true, prefix+"\x00"+id, found, rem)
	return found, nil
}

// hint keeps path as where each query of qs now in found was found.
func (ix *treeIndex) hint(path string, qs []query, found map[string]bool) {
	if strings.ContainsAny(path, "\n\x00") {
		return
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.hints == nil {
		ix.hints = map[string]string{}
	}
	for _, q := range qs {
		if found[q.key] {
			ix.hints[q.key] = path
		}
	}
}

// blobKnown is known for the file at path holding blob id: a path git
// grep -I skips as binary holds nothing.
func (ix *treeIndex) blobKnown(id, path string, qs []query, found map[string]bool) []query {
	ix.mu.Lock()
	attr := ix.attrs[path]
	nul, seen := ix.nul[id]
	ix.mu.Unlock()
	if attr == attrBinaryFile || (attr == attrAuto && seen && nul) {
		return nil
	}
	return ix.known(false, id, qs, found)
}

// known adds to found the queries the cache says obj holds and returns
// those it does not know.
func (ix *treeIndex) known(tree bool, obj string, qs []query, found map[string]bool) []query {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	m := ix.cache(tree)[obj]
	var rest []query
	for _, q := range qs {
		held, ok := m[q.key]
		switch {
		case !ok:
			rest = append(rest, q)
		case held:
			found[q.key] = true
		}
	}
	return rest
}

// remember records that obj holds the queries found and not those absent.
func (ix *treeIndex) remember(tree bool, obj string, found map[string]bool, absent []query) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.cache(tree)
	m := c[obj]
	if m == nil {
		m = make(map[string]bool, len(found)+len(absent))
		c[obj] = m
	}
	for k := range found {
		m[k] = true
	}
	for _, q := range absent {
		m[q.key] = false
	}
}

// cache is the trees' or the blobs' map; the caller holds mu.
func (ix *treeIndex) cache(tree bool) map[string]map[string]bool {
	if ix.trees == nil {
		ix.trees, ix.blobs = map[string]map[string]bool{}, map[string]map[string]bool{}
	}
	if tree {
		return ix.trees
	}
	return ix.blobs
}

// searchBlob searches one file's content for qs, remembers what the
// content holds and adds it to found unless git grep -I skips the file at
// path as binary.
func (ix *treeIndex) searchBlob(id, path string, data []byte, qs []query, found map[string]bool) {
	nul := bytes.IndexByte(data[:min(len(data), binaryProbe)], 0) >= 0
	ix.mu.Lock()
	if ix.nul == nil {
		ix.nul = map[string]bool{}
	}
	ix.nul[id] = nul
	attr := ix.attrs[path]
	ix.mu.Unlock()
	if len(qs) == 0 || attr == attrBinaryFile || (attr == attrAuto && nul) {
		return
	}
	held := map[string]bool{}
	var absent []query
	for _, q := range qs {
		if q.holds(data) {
			held[q.key] = true
			found[q.key] = true
		} else {
			absent = append(absent, q)
		}
	}
	ix.remember(false, id, held, absent)
}

// learnAttrs asks git for the diff attribute of each path not yet known,
// through one long-lived `git check-attr --stdin`, as git grep reads them (from the work
// tree's and the index's .gitattributes and info/attributes; not from the
// tree searched).
func (rd *Reader) learnAttrs(paths []string) error {
	ix := rd.index
	ix.mu.Lock()
	var want []string
	for _, p := range paths {
		if _, ok := ix.attrs[p]; !ok {
			want = append(want, p)
		}
	}
	ix.mu.Unlock()
	if len(want) == 0 {
		return nil
	}
	ix.cfgOnce.Do(func() { ix.cfg, _ = rd.repo.Config() })
	got, err := rd.checkAttr(want)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.attrs == nil {
		ix.attrs = map[string]attrBinary{}
	}
	for i, p := range want {
		ix.attrs[p] = got[i]
	}
	return nil
}

// checkAttr asks the index's long-lived `git check-attr -z --stdin diff`
// for each path, every question sent ahead.
func (rd *Reader) checkAttr(paths []string) ([]attrBinary, error) {
	ix := rd.index
	s := &ix.attr
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.broken != nil {
		return nil, errLeaveToGit
	}
	if s.cmd == nil {
		if err := s.start(rd.ctx, rd.repo.dir, "check-attr", "-z", "--stdin", "diff"); err != nil {
			s.broken = err
			return nil, errLeaveToGit
		}
	}
	werr := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(s.in, 64<<10)
		for _, p := range paths {
			w.WriteString(p)
			w.WriteByte(0)
		}
		werr <- w.Flush()
	}()
	out := make([]attrBinary, 0, len(paths))
	var rerr error
	for range paths {
		// "PATH\0diff\0VALUE\0" for each path, in order.
		var f [3]string
		for k := range f {
			if f[k], rerr = s.out.ReadString(0); rerr != nil {
				break
			}
		}
		if rerr != nil {
			break
		}
		out = append(out, ix.attrFor(strings.TrimSuffix(f[2], "\x00")))
	}
	if rerr != nil {
		s.cmd.Process.Kill()
		<-werr
		s.fail(rd.ctx, rd.repo.dir, "check-attr", rerr)
		return nil, errLeaveToGit
	}
	if err := <-werr; err != nil {
		s.fail(rd.ctx, rd.repo.dir, "check-attr", err)
		return nil, errLeaveToGit
	}
	return out, nil
}

// attrFor is userdiff's driver for a diff attribute value, as grep reads
// its binary flag: unset is binary, set is text, a driver name is what
// diff.NAME.binary says (judged by content when it says nothing).
func (ix *treeIndex) attrFor(v string) attrBinary {
	switch v {
	case "unset":
		return attrBinaryFile
	case "set":
		return attrText
	case "unspecified":
		return attrAuto
	}
	vals := ix.cfg.All("diff." + v + ".binary")
	if len(vals) == 0 {
		return attrAuto
	}
	switch strings.ToLower(vals[len(vals)-1]) {
	case "", "true", "yes", "on", "1":
		return attrBinaryFile
	case "false", "no", "off", "0":
		return attrText
	}
	return attrAuto
}

// holds is git grep's answer for one file: some line holds the literal or
// a match of the pattern. A match found in the whole file is a match on
// its line unless it runs over a newline; then each line is tried.
func (q query) holds(data []byte) bool {
	if q.re == nil {
		return bytes.Contains(data, q.lit)
	}
	if q.need != nil {
		return q.holdsOnLines(data)
	}
	loc := q.re.FindIndex(data)
	if loc == nil {
		return false
	}
	if bytes.IndexByte(data[loc[0]:loc[1]], '\n') < 0 {
		return true
	}
	for rest := data; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if q.re.Match(line) {
			return true
		}
	}
	return false
}

// holdsOnLines matches the pattern against each line holding one of the
// strings every match needs, as git grep matches a line: no other line
// can match.
func (q query) holdsOnLines(data []byte) bool {
	tried := map[int]bool{}
	for _, n := range q.need {
		for from := 0; from < len(data); {
			i := bytes.Index(data[from:], n)
			if i < 0 {
				break
			}
			at := from + i
			start := bytes.LastIndexByte(data[:at], '\n') + 1
			end := len(data)
			if j := bytes.IndexByte(data[at:], '\n'); j >= 0 {
				end = at + j
			}
			if !tried[start] {
				tried[start] = true
				if q.re.Match(data[start:end]) {
					return true
				}
			}
			from = end + 1
		}
	}
	return false
}

// without is qs less the queries found.
func without(qs []query, found map[string]bool) []query {
	out := qs[:0:0]
	for _, q := range qs {
		if !found[q.key] {
			out = append(out, q)
		}
	}
	return out
}
