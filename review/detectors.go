package review

import (
	"github.com/vouchdev/vouch/review/surface"
	"github.com/vouchdev/vouch/review/surface/deps"
	"github.com/vouchdev/vouch/review/surface/golang"
	"github.com/vouchdev/vouch/review/surface/infra"
	"github.com/vouchdev/vouch/review/surface/lang"
	"github.com/vouchdev/vouch/review/surface/secrets"
)

// builtinDetectors are the detector families shipped with vouch. The secret
// detector builds gitleaks' rules on its first use, not here.
func builtinDetectors() []surface.Detector {
	return []surface.Detector{deps.New(), golang.New(), lang.New(), infra.New(), secrets.New()}
}
