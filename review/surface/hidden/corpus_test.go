package hidden

import (
	"testing"

	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestCorpus runs this detector alone on its cases of the shared corpus.
func TestCorpus(t *testing.T) {
	surfacetest.RunCorpus(t, New(), "../testdata/corpus/hidden-*.txtar", []string{"policy"}, 4, 1)
}
