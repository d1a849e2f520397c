package infra

import (
	"testing"

	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestCorpus runs this detector alone on its cases of the shared corpus.
func TestCorpus(t *testing.T) {
	surfacetest.RunCorpus(t, New(), "../testdata/corpus/infra-*.txtar", []string{"infra", "pipeline"}, 6, 3)
}
