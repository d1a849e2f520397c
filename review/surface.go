package review

import (
	"strings"

	"github.com/vouch-review/vouch/review/diff"
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
