//! The response cache's rules, without a server.

use super::*;

fn request(query: &str) -> async_graphql::Request {
    async_graphql::Request::new(query)
}

fn live_bus() -> Bus {
    let bus = Bus::new(Default::default());
    bus.set_live(true);
    bus
}

#[test]
fn an_answer_is_used_until_the_data_changes() {
    let bus = live_bus();
    let cache = ResponseCache::new(1, bus.clone());
    let key = || Key::new(&Viewer::Anonymous, &request("{ a }"));
    let g = cache.generation();
    cache.put(key(), g, Bytes::from_static(b"one"), "q".into());
    assert_eq!(cache.get(&key()).expect("kept").body, "one");
    bus.changed();
    assert!(cache.get(&key()).is_none(), "used after a change");
    assert_eq!(cache.bytes(), 0, "the stale entry is dropped");
}

#[test]
fn a_read_that_raced_a_write_is_not_kept() {
    let bus = live_bus();
    let cache = ResponseCache::new(1, bus.clone());
    let g = cache.generation();
    bus.changed();
    cache.put(
        Key::new(&Viewer::Anonymous, &request("{ a }")),
        g,
        Bytes::from_static(b"old"),
        "q".into(),
    );
    assert!(
        cache
            .get(&Key::new(&Viewer::Anonymous, &request("{ a }")))
            .is_none()
    );
}

#[test]
fn nothing_is_served_while_the_feed_may_miss_changes() {
    let bus = live_bus();
    let cache = ResponseCache::new(1, bus.clone());
    let key = || Key::new(&Viewer::Anonymous, &request("{ a }"));
    cache.put(
        key(),
        cache.generation(),
        Bytes::from_static(b"x"),
        "q".into(),
    );
    bus.set_live(false);
    assert!(cache.get(&key()).is_none());
    bus.set_live(true);
    assert!(cache.get(&key()).is_none(), "kept across a gap in the feed");
}

#[tokio::test]
async fn identical_requests_in_flight_wait_for_the_first() {
    let bus = live_bus();
    let cache = ResponseCache::new(1, bus.clone());
    let key = || Key::new(&Viewer::Anonymous, &request("{ a }"));
    let g = cache.generation();
    let Turn::Lead(leader) = cache.turn(&key(), g) else {
        panic!("the first request leads");
    };
    let Turn::Follow(outcome) = cache.turn(&key(), g) else {
        panic!("an identical one follows");
    };
    // One from after a change must not take the answer read before it.
    assert!(matches!(cache.turn(&key(), g + 1), Turn::Alone));
    leader.share(Bytes::from_static(b"answer"), "q".into());
    assert_eq!(follow(outcome).await.expect("shared").body, "answer");
    // The flight is over: the next one leads again.
    let Turn::Lead(leader) = cache.turn(&key(), g) else {
        panic!("a new flight");
    };
    let Turn::Follow(outcome) = cache.turn(&key(), g) else {
        panic!("follows");
    };
    // A leader that cannot share (an error, a cancelled request) lets followers run their own.
    drop(leader);
    assert!(follow(outcome).await.is_none());
    assert!(matches!(cache.turn(&key(), g), Turn::Lead(_)));
}

#[test]
fn keys_differ_by_caller_operation_and_variables() {
    let user = |id: &str, version: i32| {
        Viewer::User(Box::new(entity::user::Model {
            id: id.into(),
            email: String::new(),
            name: String::new(),
            password_hash: String::new(),
            role: entity::enums::Role::Viewer,
            organization_id: None,
            region_scope: None,
            active: true,
            must_change_password: false,
            session_epoch: 0,
            spared_session: None,
            ended_sessions: None,
            version,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }))
    };
    let base = request("query A { a } query B { b }");
    let keys = [
        Key::new(&Viewer::Anonymous, &base),
        Key::new(&user("u1", 1), &base),
        Key::new(&user("u1", 2), &base),
        Key::new(&user("u2", 1), &base),
        Key::new(
            &user("u1", 1),
            &request("query A { a } query B { b }").operation_name("B"),
        ),
        Key::new(
            &user("u1", 1),
            &request("query A { a } query B { b }").variables(async_graphql::Variables::from_json(
                serde_json::json!({"x": 1}),
            )),
        ),
    ];
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            assert_ne!(a.0, b.0);
        }
    }
}

#[test]
fn the_budget_is_kept_by_dropping_the_least_recently_used() {
    let bus = live_bus();
    let cache = ResponseCache::new(1, bus);
    let body = Bytes::from(vec![b'x'; 100 * 1024]);
    for i in 0..40 {
        let key = Key::new(&Viewer::Anonymous, &request(&format!("{{ a{i} }}")));
        cache.put(key, cache.generation(), body.clone(), "q".into());
        assert!(cache.bytes() <= 1024 * 1024);
    }
    let newest = Key::new(&Viewer::Anonymous, &request("{ a39 }"));
    let oldest = Key::new(&Viewer::Anonymous, &request("{ a0 }"));
    assert!(cache.get(&newest).is_some());
    assert!(cache.get(&oldest).is_none());
    // Larger than an eighth of the budget: not kept at all.
    let huge = Key::new(&Viewer::Anonymous, &request("{ huge }"));
    cache.put(
        huge,
        cache.generation(),
        Bytes::from(vec![b'x'; 200 * 1024]),
        "q".into(),
    );
    assert!(
        cache
            .get(&Key::new(&Viewer::Anonymous, &request("{ huge }")))
            .is_none()
    );
}
