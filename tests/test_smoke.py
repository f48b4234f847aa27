def test_login_and_me(client, make_user, login, session):
    make_user("tech1", roles=["technician"])
    response = login("tech1")
    assert response.status_code == 200, response.json
    me = client.get("/api/v1/me")
    assert me.json["username"] == "tech1"
