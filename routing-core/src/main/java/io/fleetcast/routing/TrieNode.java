package io.fleetcast.routing;

import java.util.HashMap;

/**
 * One level of the wildcard trie. The wildcard children have their own fields so matching tries them
 * without a hash lookup (as Mosquitto's precomputed wildcard hashes do).
 */
final class TrieNode<S> {

    /** Literal children, created on first use: most nodes are leaves. */
    HashMap<String, TrieNode<S>> children;

    TrieNode<S> plus;
    TrieNode<S> hash;
    /** The subscriptions of the filter that ends here, or null. */
    FilterEntry<S> entry;

    TrieNode<S> child(String level) {
        return switch (level) {
            case "+" -> plus;
            case "#" -> hash;
            default -> children == null ? null : children.get(level);
        };
    }

    TrieNode<S> childOrCreate(String level) {
        TrieNode<S> child = child(level);
        if (child != null) {
            return child;
        }
        child = new TrieNode<>();
        switch (level) {
            case "+" -> plus = child;
            case "#" -> hash = child;
            default -> {
                if (children == null) {
                    children = new HashMap<>(4);
                }
                children.put(level, child);
            }
        }
        return child;
    }

    void removeChild(String level) {
        switch (level) {
            case "+" -> plus = null;
            case "#" -> hash = null;
            default -> {
                children.remove(level);
                if (children.isEmpty()) {
                    children = null;
                }
            }
        }
    }

    boolean isEmpty() {
        return entry == null && plus == null && hash == null && children == null;
    }
}
