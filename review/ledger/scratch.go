package ledger

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// scratchPrefix names the private directories signing programs work in;
// the process id after it lets a later run remove one that a killed
// process left.
const scratchPrefix = "vouch-sign-"

// scratch is a private directory (mode 0700) for the files an external
// signing program reads and writes. It is removed on Close and, with the
// program killed, on SIGINT, SIGTERM or SIGHUP, before the signal takes
// its course.
type scratch struct {
	mu     sync.Mutex
	dir    string
	proc   *os.Process
	closed bool
	signal os.Signal // the signal that ended the signing, if one did
	stop   func()
	raised <-chan struct{}
}

// errInterrupted: the directory is gone, the signing was cut short.
var errInterrupted = errors.New("interrupted")

func newScratch() (*scratch, error) {
	sweepScratch()
	sc := &scratch{}
	// Signals are caught before the directory exists, so that there is no
	// moment in which it could be left behind.
	sc.stop, sc.raised = onSignal(sc.interrupt)
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		sc.stop()
		return nil, errInterrupted
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-*", scratchPrefix, os.Getpid()))
	if err != nil {
		sc.stop()
		return nil, err
	}
	sc.dir = dir
	return sc, nil
}

// write puts data in a new file of the directory and returns its path.
func (sc *scratch) write(name string, data []byte) (string, error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return "", errInterrupted
	}
	path := filepath.Join(sc.dir, name)
	return path, os.WriteFile(path, data, 0o600)
}

// run runs cmd so that a signal kills it along with the directory.
func (sc *scratch) run(cmd *exec.Cmd) error {
	sc.mu.Lock()
	if sc.closed {
		sc.mu.Unlock()
		return errInterrupted
	}
	if err := cmd.Start(); err != nil {
		sc.mu.Unlock()
		return err
	}
	sc.proc = cmd.Process
	sc.mu.Unlock()
	err := cmd.Wait()
	sc.mu.Lock()
	sig := sc.signal
	sc.mu.Unlock()
	if sig != nil {
		// The signal is being delivered again; a process it ends must not
		// go on as if signing had merely failed.
		<-sc.raised
		time.Sleep(time.Second)
		return fmt.Errorf("%w by %v", errInterrupted, sig)
	}
	return err
}

func (sc *scratch) interrupt(sig os.Signal) {
	sc.mu.Lock()
	sc.signal = sig
	sc.mu.Unlock()
	sc.remove()
}

// remove kills the program, if running, and removes the directory.
func (sc *scratch) remove() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.closed = true
	if sc.proc != nil {
		sc.proc.Kill()
	}
	if sc.dir != "" {
		os.RemoveAll(sc.dir)
	}
}

// Close removes the directory and stops watching for signals.
func (sc *scratch) Close() {
	sc.remove()
	sc.stop()
}
