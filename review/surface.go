package review

import (
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// maxContent is the largest file whose content the detectors read; larger
// files are judged from their diff lines alone.
const maxContent = 4 << 20

// detectors is every built-in detector family, then the organisation's own.
func detectors(policy *surface.CompiledPolicy) []surface.Detector {
	return append(builtinDetectors(), policy.Detector())
}

// blobSource reads blobs by id, leaving out those above a size: a
// repo.Reader (the session's cat-file stream) or a repo.Repo.
type blobSource interface {
	Blobs(ids []string, maxSize int64) (map[string][]byte, error)
}

// surfaceChanges pairs each file of the diff with its content before and
// after, read through the session's cat-file stream; a file above
// maxContent is judged by its diff lines alone and never read. When an old
// blob is not in the repository (a remerge diff's "before" is git's
// automatic merge, kept in a temporary object store) and beforeRev is set,
// the file as it is at beforeRev stands in for it.
func surfaceChanges(r blobSource, files []diff.File, beforeRev string) ([]*surface.Change, error) {
	var ids []string
	for _, f := range files {
		if f.Binary {
			continue
		}
		for _, h := range []string{f.OldHash, f.NewHash} {
			if h != "" && strings.Trim(h, "0") != "" {
				ids = append(ids, h)
			}
		}
	}
	blobs, err := r.Blobs(ids, maxContent)
	if err != nil {
		return nil, err
	}
	fallback := map[int]string{}
	if beforeRev != "" {
		var names []string
		for i, f := range files {
			if f.Binary || f.OldPath == "" || blobs[f.OldHash] != nil || strings.ContainsAny(f.OldPath, "\n\x00") {
				continue
			}
			fallback[i] = beforeRev + ":" + f.OldPath
			names = append(names, fallback[i])
		}
		more, err := r.Blobs(names, maxContent)
		if err != nil {
			return nil, err
		}
		for i, name := range fallback {
			fallback[i] = ""
			if b, ok := more[name]; ok {
				blobs[name] = b
				fallback[i] = name
			}
		}
	}
	changes := make([]*surface.Change, 0, len(files))
	for i := range files {
		f := &files[i]
		c := &surface.Change{File: f}
		if !f.Binary {
			c.Before = blobs[f.OldHash]
			if name := fallback[i]; name != "" {
				c.Before = blobs[name]
			}
			c.After = blobs[f.NewHash]
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// firstOfKindCategories are where "the first one in this repository" tells
// the reviewer the surface grew; a new package is new by definition.
var firstOfKindCategories = map[string]bool{
	"entry-point": true, "egress": true, "exec": true, "native": true, "file": true,
	"data": true, "deserialization": true, "web-config": true, "infra": true, "pipeline": true,
}

// genericTokens stand for a kind of construct rather than a literal; the
// repository is searched for any of its usual spellings.
var genericTokens = map[string]string{
	"route": `HandleFunc\(|\.Handle\(|\.(Get|Post|Put|Patch|Delete|GET|POST|PUT|PATCH|DELETE|Any|Route|Group|Mount)\(\s*["'` + "`" + `]/|@(app|bp|router|blueprint)\.(route|get|post|put|patch|delete)\(|@(Get|Post|Put|Patch|Delete|Request)Mapping|@Path\(|\[Http(Get|Post|Put|Patch|Delete)|Map(Get|Post|Put|Delete)\(|Route::(get|post|put|patch|delete)|\b(path|re_path)\(\s*['"]|app\.(get|post|put|patch|delete|use)\(\s*['"]/`,
}

// markFirstOfKind marks findings whose token the parent tree never held.
// Each distinct token costs one `git grep`; the search stops after budget.
func markFirstOfKind(r *repo.Repo, c repo.Commit, findings []surface.Finding, budget time.Duration) {
	if len(findings) == 0 {
		return
	}
	parent := ""
	if len(c.Parents) > 0 {
		parent = c.Parents[0]
	}
	start := time.Now()
	seen := map[string]bool{} // token -> present before
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, f := range findings {
		tok := f.Token
		if tok == "" || !firstOfKindCategories[f.Category] || f.Side == surface.SideOld {
			continue
		}
		mu.Lock()
		_, done := seen[tok]
		if !done {
			seen[tok] = true // assume present until shown otherwise
		}
		mu.Unlock()
		if done || parent == "" || time.Since(start) > budget {
			if parent == "" {
				mu.Lock()
				seen[tok] = false
				mu.Unlock()
			}
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(tok string) {
			defer wg.Done()
			defer func() { <-sem }()
			pattern, isRE := grepPattern(tok)
			found, err := r.HasText(parent, pattern, isRE)
			mu.Lock()
			seen[tok] = found || err != nil
			mu.Unlock()
		}(tok)
	}
	wg.Wait()
	for i := range findings {
		if present, ok := seen[findings[i].Token]; ok && !present && firstOfKindCategories[findings[i].Category] && findings[i].Side != surface.SideOld {
			findings[i].FirstOfKind = true
		}
	}
}

// grepPattern turns a token into what to look for in source: a generic
// pattern, or the call as written ("os/exec.Command" is spelled
// "exec.Command" at the call site).
func grepPattern(tok string) (string, bool) {
	if p, ok := genericTokens[tok]; ok {
		return p, true
	}
	if i := strings.LastIndexByte(tok, '/'); i >= 0 && strings.Contains(tok[i:], ".") && !strings.Contains(tok, "://") {
		tok = tok[i+1:]
	}
	return regexp.QuoteMeta(tok), false
}
