package dev.tugboat.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Where an {@link Informer}'s objects come from, as client-go's {@code ListerWatcher}: a list with the
 * version it was taken at, and a watch from a version. {@link #of(Registry, Informer.Selection)} serves
 * both from this member's index; a member without an index (an in-cluster Java service) brings its
 * own, through a control-plane member.
 */
public interface ListWatch {

  /** The objects of one list, and the version the list was taken at (a watch resumes after it). */
  record Listing(List<ObjectNode> items, long resourceVersion) {}

  /** The kind of the objects; the informer's events name it. */
  String kind();

  /** The current objects; fails when they cannot be listed (the informer tries again after a backoff). */
  CompletionStage<Listing> list();

  /**
   * The changes after {@code fromVersion}: ADDED, MODIFIED and DELETED, BOOKMARKs, and ERROR (a 410
   * when {@code fromVersion} is older than the source keeps). The informer cancels it when it is done.
   */
  Source<WatchEvent, NotUsed> watch(long fromVersion);

  /** The objects of {@code selection} in this member's index. */
  static ListWatch of(Registry registry, Informer.Selection selection) {
    return new ListWatch() {
      @Override
      public String kind() {
        return selection.kind();
      }

      @Override
      public CompletionStage<Listing> list() {
        return registry.list(selection.kind(), selection.namespace(), selection.slice(), selection::test, 0, null)
            .thenCompose(list -> list.failure() != null
                ? CompletableFuture.failedFuture(new IllegalStateException(list.failure().message()))
                : CompletableFuture.completedFuture(new Listing(list.items(), list.resourceVersion())));
      }

      @Override
      public Source<WatchEvent, NotUsed> watch(long fromVersion) {
        // Bookmarks keep the informer's version current, so a watch it resumes is not too old.
        return registry.watch(selection.kind(), selection.namespace(), selection.slice(), selection::test, fromVersion,
            true);
      }
    };
  }
}
