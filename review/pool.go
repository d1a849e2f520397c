package review

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/vouch-review/vouch/review/repo"
)

// AnalyseAll analyses items on jobs workers (jobs < 1: one per CPU) and
// hands each analysis to emit in queue order, as soon as it and every one
// before it are done. Work runs at most a few commits ahead of emit, so a
// long queue holds few analyses at once. The first error, from an analysis
// or from emit, stops the rest and is returned.
//
// The diffs are read a stage ahead of the workers, every one asked for
// ahead in one stream, so git never waits for a detector; each worker
// reads files and answers first of kind on a cat-file of its own.
func (s *Session) AnalyseAll(ctx context.Context, items []Item, jobs int, emit func(i int, a *Analysis) error) error {
	if jobs < 1 {
		jobs = runtime.NumCPU()
	}
	if jobs > len(items) {
		jobs = max(len(items), 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	type loaded struct {
		d     repo.Diff
		start time.Time
	}
	type result struct {
		a   *Analysis
		err error
	}
	rd, readers, closeReaders := s.poolReaders(ctx, jobs)
	loads := make([]chan loaded, len(items))
	slots := make([]chan result, len(items))
	for i := range slots {
		loads[i] = make(chan loaded, 1)
		slots[i] = make(chan result, 1)
	}
	window := make(chan struct{}, 4*jobs)
	next := make(chan int)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
		closeReaders()
	}()
	commits := make([]repo.Commit, len(items))
	for i, it := range items {
		commits[i] = it.Commit
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(next)
		handed := 0 // commits given to the workers
		err := rd.Diffs(commits, s.limits, func(i int, d repo.Diff) error {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			loads[i] <- loaded{d, time.Now()}
			select {
			case next <- i:
				handed++
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
		if err != nil && ctx.Err() == nil && handed < len(items) {
			// The diff of the next commit in line could not be read: its
			// slot, which emit waits on, says so.
			slots[handed] <- result{nil, gitContextErr(err, items[handed].Commit)}
		}
	}()
	for _, w := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ld := <-loads[i]
				p, err := s.prepare(w, items[i], len(items[i].Commit.Parents) > 1, ld.d)
				if err != nil {
					slots[i] <- result{nil, err}
					continue
				}
				a, err := s.conclude(w, p, ld.start)
				slots[i] <- result{a, err}
			}
		}()
	}
	for i := range items {
		var r result
		select {
		case r = <-slots[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := ctx.Err(); err != nil {
			return err // what failed after the cancel failed for it
		}
		if r.err != nil {
			return r.err // (a commit whose diff could not be read holds no window)
		}
		<-window
		if err := emit(i, r.a); err != nil {
			return err
		}
	}
	return nil
}

// poolReaders are a pool's git processes: rd reads the diffs; each worker
// reads files and answers first of kind on a cat-file of its own, so none
// waits on another's round trips. closeAll ends them all, once the
// goroutines that use them are done.
func (s *Session) poolReaders(ctx context.Context, jobs int) (rd *repo.Reader, workers []*repo.Reader, closeAll func()) {
	rd = s.repo.NewReader(ctx)
	workers = make([]*repo.Reader, jobs)
	for k := range workers {
		workers[k] = rd.Sibling()
	}
	return rd, workers, func() {
		rd.Close()
		for _, w := range workers {
			w.Close()
		}
	}
}

// AnalyseBackground is Analyse for work no one is waiting on, such as the
// TUI's severity badges for the commits around the selection: it runs one
// at a time, on git processes of its own, so the commit on screen (Analyse)
// never waits behind it for a diff or a blob.
func (s *Session) AnalyseBackground(it Item) (*Analysis, error) {
	s.bgTurn.Lock()
	defer s.bgTurn.Unlock()
	s.bgOnce.Do(func() { s.bgReader = s.repo.NewReader(context.Background()) })
	return s.analyse(s.bgReader, it, len(it.Commit.Parents) > 1)
}

// Progress is told how far long work has got: done of total commits.
type Progress func(done, total int)

// OnProgress sets what Verify and Log tell as they go through a range's
// commits; nil tells nothing.
func (s *Session) OnProgress(p Progress) { s.progress = p }

func (s *Session) tell(done, total int) {
	if s.progress != nil {
		s.progress(done, total)
	}
}

// prefetchPatchIDs starts reading, in the background, the patch ids of the
// commits that need one, in one pipelined pass of the diff stream;
// patchID waits for it and answers from memory. A failure is left for
// patchID to meet and report on its own commit.
func (s *Session) prefetchPatchIDs(commits []repo.Commit, need func(repo.Commit) bool) {
	var want []repo.Commit
	for _, c := range commits {
		if need(c) {
			want = append(want, c)
		}
	}
	if len(want) == 0 {
		return
	}
	s.pidWG.Go(func() {
		ids, err := s.stream().PatchIDs(want)
		if err != nil {
			return
		}
		s.pidMu.Lock()
		if s.pids == nil {
			s.pids = map[string]string{}
		}
		for k, v := range ids {
			s.pids[k] = v
		}
		s.pidMu.Unlock()
	})
}

func (s *Session) prefetched(sha string) (string, bool) {
	s.pidWG.Wait()
	s.pidMu.Lock()
	defer s.pidMu.Unlock()
	id, ok := s.pids[sha]
	return id, ok
}
