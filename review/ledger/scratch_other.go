//go:build !unix

package ledger

import (
	"os"
	"os/exec"
)

func detach(cmd *exec.Cmd) {}

func onSignal(cleanup func(os.Signal)) (stop func(), raised <-chan struct{}) {
	return func() {}, nil
}

func sweepScratch() {}
