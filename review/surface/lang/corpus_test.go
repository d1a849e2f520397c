package lang

import (
	"testing"

	"github.com/vouch-review/vouch/review/surface/surfacetest"
)

// TestCorpus runs this detector alone on its cases of the shared corpus.
func TestCorpus(t *testing.T) {
	surfacetest.RunCorpus(t, New(), "../testdata/corpus/lang-*.txtar", []string{"entry-point", "auth", "web-config", "egress", "exec", "native", "file", "data", "deserialization", "crypto", "logging"}, 3, 2)
}
