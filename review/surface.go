package review

import (
	"strings"

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

// surfaceChanges pairs each file of the diff with its content before and
// after, read with one git process.
func surfaceChanges(r *repo.Repo, files []diff.File) ([]*surface.Change, error) {
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
	changes := make([]*surface.Change, 0, len(files))
	for i := range files {
		f := &files[i]
		c := &surface.Change{File: f}
		if !f.Binary {
			c.Before = blobs[f.OldHash]
			c.After = blobs[f.NewHash]
		}
		changes = append(changes, c)
	}
	return changes, nil
}
